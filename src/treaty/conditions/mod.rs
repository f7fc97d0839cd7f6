//! The collective-security conditions, one file each; each returns a [`super::Verdict`].

pub(crate) mod burden_sharing;
pub(crate) mod credibility;
pub(crate) mod deterrence;
pub(crate) mod equal_rules;
pub(crate) mod liveness;
pub(crate) mod participation;
pub(crate) mod peaceful_resolution;
