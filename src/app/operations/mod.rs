//! The operations application service: validated requests in, PBX commands out (through
//! `Arc<dyn Pbx>`), every route answered within a bound.

pub mod hooks;
pub mod live_view;
pub mod request;
pub mod service;
pub mod wiring;

pub use hooks::{HookCall, NoHooks, OperationsHooks, RecordingHooks, SwitchboardHooks};
pub use live_view::{LiveView, ModelAccess, SharedModel};
pub use request::OpRequest;
pub use service::{Bounds, OperationsDeps, OperationsService, Reply};
