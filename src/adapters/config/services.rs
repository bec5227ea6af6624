//! `services.json`: the public listening ports (REST 8179, websocket 8181, TCP/TLS
//! notifier 8182/8183). The original's internal `rest.*` ports (500xx) and the proxy
//! router are an artefact of its plugin architecture and are ignored.

use super::doc::Doc;
use super::error::ConfigError;

/// TLS notifier listener (`tls`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsService {
    /// Port.
    pub port: u16,
    /// Private key path, `""` when absent.
    pub key: String,
    /// Certificate path, `""` when absent.
    pub cert: String,
    /// `secureOptions` true = TLS 1.0/1.1 disabled.
    pub secure_options: bool,
}

/// The listeners.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServicesConfig {
    /// `http_proxy.http_port`: the REST entry point (Apache `/webrest`).
    pub http_port: u16,
    /// `websocket.http_port`: the socket.io listener (Apache `/socket.io`).
    pub ws_port: u16,
    /// `tcp.port`: desktop notifier over TCP, if configured.
    pub tcp_port: Option<u16>,
    /// `tcp.base_templates`: popup templates URL, `""` when absent.
    pub tcp_base_templates: String,
    /// `tls`: desktop notifier over TLS, if a port is configured.
    pub tls: Option<TlsService>,
}

impl ServicesConfig {
    /// Reads the document; `http_proxy.http_port` and `websocket.http_port` are required.
    ///
    /// # Errors
    /// [`ConfigError::BadValue`] naming the first bad field.
    pub fn from_doc(doc: &Doc) -> Result<Self, ConfigError> {
        doc.top()?;
        let http_port = doc.required("http_proxy.http_port", doc.port("http_proxy.http_port")?)?;
        let ws_port = doc.required("websocket.http_port", doc.port("websocket.http_port")?)?;
        let tls = match doc.port("tls.port")? {
            None => None,
            Some(port) => Some(TlsService {
                port,
                key: doc.string("tls.key")?.unwrap_or_default(),
                cert: doc.string("tls.cert")?.unwrap_or_default(),
                secure_options: doc.boolean("tls.secureOptions")?.unwrap_or(false),
            }),
        };
        Ok(Self {
            http_port,
            ws_port,
            tcp_port: doc.port("tcp.port")?,
            tcp_base_templates: doc.string("tcp.base_templates")?.unwrap_or_default(),
            tls,
        })
    }
}
