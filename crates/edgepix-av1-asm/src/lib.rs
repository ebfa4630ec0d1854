//! No code: this crate exists to enable rav1d's `asm` feature on x86-64
//! only. A feature cannot depend on the target, but a target-specific
//! dependency can, and its features unify with edgepix-av1's own request
//! for rav1d. On aarch64 the rav1d 1.1.0 package cannot build its Arm
//! assembly (it lacks `src/arm/asm-offsets.h`, rav1d issue #1449), so the
//! arm64 Lambda package decodes AV1 in rav1d's pure Rust.
