//! Building the operations settings from the loaded configuration files.

use crate::adapters::config::asterisk::ClickToCall;
use crate::adapters::config::Config;
use crate::domain::operations::phone_urls::PhoneUrls;
use crate::domain::operations::{C2cMode, OpsConfig};

/// [`OpsConfig`] from the configuration: `asterisk.json` (prefix, `auto_c2c`),
/// `ast_objects.json` (transfer context, feature codes), `nethcti.json` (`hostname` as
/// `$SERVER`) and `phone_urls.json`.
pub fn ops_config(config: &Config) -> OpsConfig {
    let c2c = match config.asterisk.click_to_call {
        ClickToCall::Automatic => C2cMode::Automatic,
        ClickToCall::Cloud => C2cMode::Cloud,
        ClickToCall::Manual => C2cMode::Manual,
    };
    let phone_urls = PhoneUrls::from_rules(config.phone_urls.rules.iter().map(|r| {
        let urls = r.urls.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        (r.regex.clone(), urls)
    }));
    OpsConfig::new(
        &config.ast_objects,
        &config.asterisk.prefix,
        c2c,
        &config.nethcti.hostname,
        phone_urls,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::operations::phone_urls::PhoneAction;

    #[test]
    fn settings_come_from_the_demo_configuration() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/config");
        let config = crate::adapters::config::load(&dir).expect("fixture config loads");
        let ops = ops_config(&config);
        assert_eq!(ops.c2c, C2cMode::Automatic);
        assert_eq!(ops.transfer_context, "internal");
        assert_eq!(ops.pickup_code, "*8");
        assert_eq!(ops.conference_code.as_deref(), Some("*88"));
        assert_eq!(ops.queue_toggle_code, "*45");
        assert_eq!(ops.server, "pbx.example.com");
        assert_eq!(
            ops.phone_urls.template("snom760/10.1", PhoneAction::Answer),
            Some("http://$PHONE_USER:$PHONE_PASS@$PHONE_IP/command.htm?key=ENTER")
        );
        assert_eq!(
            ops.phone_urls.template("Grandstream", PhoneAction::Answer),
            None
        );
    }
}
