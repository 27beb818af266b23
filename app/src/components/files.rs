//! Files chosen in a file input, read in the browser by `public/js/map.js` (loaded on every
//! page): as base64 for bytes the server checks (a registry import, a case's file), as text
//! (a boundary's GeoJSON).

#[cfg(feature = "hydrate")]
mod js {
    use wasm_bindgen::prelude::*;
    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = parkgridMap, js_name = readFileBase64)]
        pub fn read_file_base64(input: &web_sys::HtmlInputElement) -> js_sys::Promise;
        #[wasm_bindgen(js_namespace = parkgridMap, js_name = readFileText)]
        pub fn read_file_text(input: &web_sys::HtmlInputElement) -> js_sys::Promise;
    }
}

/// The chosen file's bytes as base64, or `None` when none is chosen or it cannot be read.
#[cfg(feature = "hydrate")]
pub async fn base64(input: &web_sys::HtmlInputElement) -> Option<String> {
    wasm_bindgen_futures::JsFuture::from(js::read_file_base64(input)).await.ok().and_then(|v| v.as_string())
}

/// The chosen file's text (UTF-8), or `None` when none is chosen or it cannot be read.
#[cfg(feature = "hydrate")]
pub async fn text(input: &web_sys::HtmlInputElement) -> Option<String> {
    wasm_bindgen_futures::JsFuture::from(js::read_file_text(input)).await.ok().and_then(|v| v.as_string())
}
