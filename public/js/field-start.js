// Starts the field app (the fieldapp crate's wasm) in /field's shell. A file, not an inline
// script: the pages' Content-Security-Policy allows no inline script without a nonce.
import init from "/pkg/fieldapp.js";
init({ module_or_path: "/pkg/fieldapp_bg.wasm" });
