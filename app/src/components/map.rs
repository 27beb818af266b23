//! The map: Leaflet, vendored into `public/vendor/leaflet` and driven by `public/js/map.js`.
//! No online tiles: the park boundary, the grids and the enterprises are drawn as vectors.

use api::MapView;
use leptos::html::Div;
use leptos::prelude::*;

#[cfg(feature = "hydrate")]
mod js {
    use wasm_bindgen::prelude::*;
    #[wasm_bindgen]
    extern "C" {
        /// `parkgridMap.render(element, json)` from `public/js/map.js`.
        #[wasm_bindgen(catch, js_namespace = parkgridMap, js_name = render)]
        pub fn render(el: &web_sys::HtmlElement, data: &str, attribution: &str) -> Result<(), JsValue>;
    }
}

/// Draws `view` once the element exists in the browser.
#[component]
pub fn GridMap(view: MapView, #[prop(into)] attribution: String) -> impl IntoView {
    let node = NodeRef::<Div>::new();
    let data = serde_json::to_string(&view).unwrap_or_default();
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(el) = node.get() {
            if let Err(e) = js::render(&el, &data, &attribution) {
                leptos::logging::error!("map failed: {e:?}");
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&data, &attribution);
    });
    view! { <div class="map" node_ref=node data-testid="map"></div> }
}
