//! Hold and resume from the phone (re-INVITE sendonly / sendrecv).

use super::FlowError;
use crate::adapters::sim::model::SimState;

/// The phone of `ext` puts its call on hold (`on`) or resumes it.
///
/// # Errors
/// [`FlowError::NoSuchChannel`] when the phone has no channel.
pub fn phone_hold(st: &mut SimState, ext: &str, on: bool) -> Result<(), FlowError> {
    let ch = st.chan_of(ext).ok_or(FlowError::NoSuchChannel)?;
    let peers = st.bridge_peers(&ch);
    if on {
        st.emit_chan_with("Hold", &ch, &[("MusicClass", "default".into())]);
        for p in &peers {
            st.emit_chan_with("MusicOnHoldStart", p, &[("Class", "default".into())]);
        }
    } else {
        st.emit_chan("Unhold", &ch);
        for p in &peers {
            st.emit_chan("MusicOnHoldStop", p);
        }
    }
    Ok(())
}
