//! Conversions from the loaded configuration to the daemon's own adapters' settings: the AMI
//! connection and the simulated PBX of `--demo` (the HTTP adapter's come from
//! [`crate::adapters::http::from_config`]).

use crate::adapters::ami::settings::AmiSettings;
use crate::adapters::config::Config;
use crate::adapters::sim::config::{EndpointConf, SimConfig};
use crate::domain::directory::DeviceType;
use secrecy::ExposeSecret;

/// AMI connection settings from asterisk.json.
pub fn ami_settings(config: &Config) -> AmiSettings {
    AmiSettings::new(
        config.asterisk.host.clone(),
        config.asterisk.port,
        config.asterisk.user.clone(),
        config.asterisk.pass.clone(),
    )
}

/// The simulated PBX of `--demo`: the configured users, queues, trunks, one parking lot
/// and one conference room per user (`<confbridge code><main extension>`), accepting the
/// asterisk.json credentials, with generated traffic at `calls_per_minute`, on the
/// current wall clock (uniqueids and start times are "now"). Users' secondary devices are
/// endpoints too (desk and WebRTC phones registered, mobile apps not), so a default device
/// and WebRTC click-to-call (`callWebrtc`) work.
pub fn sim_config(config: &Config, calls_per_minute: u32) -> SimConfig {
    let mut sim = SimConfig::demo(
        &config.users,
        &config.ast_objects,
        calls_per_minute,
        &config.asterisk.user,
        config.asterisk.pass.expose_secret(),
    );
    for user in config.users.iter() {
        for device in user.devices.iter() {
            if !sim.endpoints.iter().any(|e| e.id == device.id) {
                sim.endpoints.push(EndpointConf {
                    id: device.id.clone(),
                    name: user.name.clone(),
                    trunk: false,
                    // desk and browser phones are on; the mobile app registers on demand
                    registered: device.kind != DeviceType::Mobile,
                });
            }
        }
    }
    if let Some(code) = config.ast_objects.confbridge_code() {
        sim.conference_rooms = config
            .users
            .iter()
            .filter_map(|u| u.main_extension())
            .map(|e| format!("{code}{e}"))
            .collect();
    }
    sim
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn fixture() -> Config {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/config");
        crate::adapters::config::load(&dir).expect("fixture config loads")
    }

    #[test]
    fn demo_simulator_accepts_the_configured_ami_login() {
        let config = fixture();
        let unix = || {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or_default()
        };
        let before = unix();
        let sim = sim_config(&config, 6);
        let after = unix();
        assert!(
            (before..=after).contains(&sim.epoch),
            "{before} <= {} <= {after}",
            sim.epoch
        );
        assert_eq!(sim.username, config.asterisk.user);
        assert_eq!(sim.secret, config.asterisk.pass.expose_secret());
        assert_eq!(sim.traffic_per_min, 6);
        assert_eq!(
            sim.conference_rooms.first().map(String::as_str),
            Some("*88201")
        );
    }

    #[test]
    fn ami_settings_point_at_asterisk_json() {
        let config = fixture();
        let ami = ami_settings(&config);
        assert_eq!(ami.host, config.asterisk.host);
        assert_eq!(ami.port, config.asterisk.port);
        assert_eq!(ami.username, config.asterisk.user);
    }
}
