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
