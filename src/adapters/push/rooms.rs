//! Room membership by permission and privacy (websocket.md §4.5 table) and per-recipient variant choice (§6).

use super::user::PushPermissions;

/// The permission-scoped event families; each has a clear room and a privacy room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    /// `extensions_ast_evt_{clear,privacy}` (presence panel); also carries `trunkUpdate`.
    Extensions,
    /// `queues_ast_evt_{clear,privacy}`.
    Queues,
    /// `trunks_ast_evt_{clear,privacy}` (joined by the original, used by no emitter).
    Trunks,
    /// `parkings_ast_evt_{clear,privacy}`.
    Parkings,
    /// `qmanager_evt` (single room, always clear).
    QManager,
}

/// Which payload variant a recipient gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variant {
    /// Numbers and names in clear.
    Clear,
    /// Numbers and names of others obfuscated.
    Masked,
    /// Obfuscated except for calls through a queue (privacy ∧ admin_queues on `extenUpdate`).
    MaskedOutsideQueues,
}

/// The rooms a user joins at login: `(topic, variant)` pairs, `variant` being the room flavour.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoomSet {
    rooms: Vec<(Topic, Variant)>,
}

impl RoomSet {
    /// Computes the rooms of spec §4.5 from the user's permissions.
    pub fn for_permissions(p: &PushPermissions) -> Self {
        let flavour = |privacy: bool| {
            if privacy {
                Variant::Masked
            } else {
                Variant::Clear
            }
        };
        let mut rooms = Vec::new();
        if p.presence_panel {
            rooms.push((Topic::Extensions, flavour(p.privacy)));
        }
        if p.queues || p.admin_queues {
            rooms.push((Topic::Queues, flavour(p.privacy && !p.admin_queues)));
        }
        if p.trunks {
            rooms.push((Topic::Trunks, flavour(p.privacy)));
        }
        if p.parkings {
            rooms.push((Topic::Parkings, flavour(p.privacy)));
        }
        if p.qmanager {
            rooms.push((Topic::QManager, Variant::Clear));
        }
        Self { rooms }
    }

    /// The variant the user gets for `topic`, or `None` when not in that topic's rooms.
    pub fn variant_for(&self, topic: Topic) -> Option<Variant> {
        self.rooms
            .iter()
            .find(|(t, _)| *t == topic)
            .map(|(_, variant)| *variant)
    }

    /// The original room names, e.g. `extensions_ast_evt_privacy`, in join order.
    pub fn names(&self) -> Vec<&'static str> {
        self.rooms
            .iter()
            .map(|(topic, variant)| room_name(*topic, *variant))
            .collect()
    }
}

/// The original server's room name for a topic and flavour.
pub fn room_name(topic: Topic, variant: Variant) -> &'static str {
    let clear = variant == Variant::Clear;
    match (topic, clear) {
        (Topic::Extensions, true) => "extensions_ast_evt_clear",
        (Topic::Extensions, false) => "extensions_ast_evt_privacy",
        (Topic::Queues, true) => "queues_ast_evt_clear",
        (Topic::Queues, false) => "queues_ast_evt_privacy",
        (Topic::Trunks, true) => "trunks_ast_evt_clear",
        (Topic::Trunks, false) => "trunks_ast_evt_privacy",
        (Topic::Parkings, true) => "parkings_ast_evt_clear",
        (Topic::Parkings, false) => "parkings_ast_evt_privacy",
        (Topic::QManager, _) => "qmanager_evt",
    }
}

/// Variant for an event sent to every logged-in socket or to named users (spec §6, `extenUpdate` rule):
/// clear without privacy or for an owner; with privacy, `MaskedOutsideQueues` for
/// `admin_queues`, else `Masked`.
pub fn personal_variant(p: &PushPermissions, is_owner: bool) -> Variant {
    if !p.privacy || is_owner {
        Variant::Clear
    } else if p.admin_queues {
        Variant::MaskedOutsideQueues
    } else {
        Variant::Masked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn perms() -> PushPermissions {
        PushPermissions::default()
    }

    #[test]
    fn no_permission_joins_no_room() {
        assert_eq!(
            RoomSet::for_permissions(&perms()).names(),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn admin_queues_with_privacy_gets_clear_queue_room_but_privacy_presence_room() {
        let p = PushPermissions {
            presence_panel: true,
            admin_queues: true,
            privacy: true,
            parkings: true,
            qmanager: true,
            trunks: true,
            ..perms()
        };
        assert_eq!(
            RoomSet::for_permissions(&p).names(),
            vec![
                "extensions_ast_evt_privacy",
                "queues_ast_evt_clear",
                "trunks_ast_evt_privacy",
                "parkings_ast_evt_privacy",
                "qmanager_evt"
            ]
        );
    }

    #[test]
    fn queues_with_privacy_gets_privacy_queue_room() {
        let p = PushPermissions {
            queues: true,
            privacy: true,
            ..perms()
        };
        let rooms = RoomSet::for_permissions(&p);
        assert_eq!(rooms.names(), vec!["queues_ast_evt_privacy"]);
        assert_eq!(rooms.variant_for(Topic::Queues), Some(Variant::Masked));
        assert_eq!(rooms.variant_for(Topic::Extensions), None);
    }

    #[test]
    fn personal_variant_follows_privacy_admin_queues_and_ownership() {
        let privacy = PushPermissions {
            privacy: true,
            ..perms()
        };
        let admin = PushPermissions {
            admin_queues: true,
            ..privacy
        };
        assert_eq!(personal_variant(&perms(), false), Variant::Clear);
        assert_eq!(personal_variant(&privacy, false), Variant::Masked);
        assert_eq!(personal_variant(&privacy, true), Variant::Clear);
        assert_eq!(
            personal_variant(&admin, false),
            Variant::MaskedOutsideQueues
        );
    }
}
