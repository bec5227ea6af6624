//! A simulated PJSIP endpoint with its contact and device state.

/// One endpoint.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// Id (`201`, `trunk`).
    pub id: String,
    /// Caller id name.
    pub name: String,
    /// Trunk endpoint.
    pub trunk: bool,
    /// Contact registered.
    pub registered: bool,
    /// Channels currently open on the endpoint.
    pub channels: usize,
    /// Contact id suffix (`@5440...`), stable per endpoint.
    pub contact_hash: String,
    /// UDP port of the simulated phone.
    pub port: u16,
    /// Qualified since the PBX started (`false` after a restart until the next qualify).
    pub qualified: bool,
}

impl Endpoint {
    /// `DeviceStateChange` state (`NOT_INUSE`, `BUSY`, `INUSE`, `UNAVAILABLE`).
    pub fn device_state(&self) -> &'static str {
        if !self.registered {
            "UNAVAILABLE"
        } else if self.channels == 0 {
            "NOT_INUSE"
        } else if self.trunk {
            "INUSE"
        } else {
            "BUSY"
        }
    }

    /// `EndpointList` `DeviceState` text.
    pub fn device_state_text(&self) -> &'static str {
        match self.device_state() {
            "UNAVAILABLE" => "Unavailable",
            "INUSE" => "In use",
            "BUSY" => "Busy",
            _ => "Not in use",
        }
    }

    /// Hint `(Status, StatusText)` for `ExtensionStatus`.
    pub fn hint_status(&self) -> (u8, &'static str) {
        match self.device_state() {
            "UNAVAILABLE" => (4, "Unavailable"),
            "BUSY" | "INUSE" => (2, "Busy"),
            _ => (0, "Idle"),
        }
    }

    /// Queue member `Status` number (1 not in use, 3 busy, 5 unavailable).
    pub fn member_status(&self) -> u8 {
        match self.device_state() {
            "UNAVAILABLE" => 5,
            "BUSY" | "INUSE" => 3,
            _ => 1,
        }
    }

    /// Contact URI.
    pub fn uri(&self) -> String {
        if self.trunk {
            "sip:127.0.0.2:5080".into()
        } else {
            format!("sip:{}-0x55da3155b580@127.0.0.1:{}", self.id, self.port)
        }
    }
}
