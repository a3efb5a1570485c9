# Sourced by the build scripts: selects the toolchain that can build for wasm32.
# Installed tools live in cargo's bin folder ($CARGO_HOME/bin, ~/.cargo/bin by default).
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  unset RUSTUP_TOOLCHAIN RUSTC_BOOTSTRAP CARGO_UNSTABLE_BUILD_STD
else
  export RUSTUP_TOOLCHAIN=debian-web
  export RUSTC_BOOTSTRAP=1
  export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
fi
