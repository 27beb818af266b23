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
        /// `parkgridMap.renderUrl(element, url)`: fetches a MapView and draws it, once per
        /// element and URL, with the element's `data-attribution`; when the fetch fails the
        /// element says why (its `data-*-text` texts).
        #[wasm_bindgen(catch, js_namespace = parkgridMap, js_name = renderUrl)]
        pub fn render_url(el: &web_sys::HtmlElement, url: &str) -> Result<(), JsValue>;
        /// `parkgridMap.renderFigures(element, json)`: grids coloured by a figure.
        #[wasm_bindgen(catch, js_namespace = parkgridMap, js_name = renderFigures)]
        pub fn render_figures(el: &web_sys::HtmlElement, data: &str) -> Result<(), JsValue>;
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

/// The map of `src`, a URL answering a `MapView` (`api::ParkPage::park_map_url`), fetched by
/// the browser. The server renders the element with the URL and the texts the map may need
/// (attribution, and why it could not be loaded: the network, signed out, a plan gone), and
/// `public/js/map.js` fetches and draws it as soon as the page is parsed, before and without
/// the app's code (the park page hydrates later: `app::shell`). The page's own data then stays
/// small for a city (10,492 enterprises: 3.7 MB of page before). Once hydrated, the effect
/// finds it drawn; a map rendered in the browser (another plan chosen) is fetched there.
#[component]
pub fn ParkMap(#[prop(into)] src: String) -> impl IntoView {
    use crate::i18n::*;
    let i18n = use_i18n();
    let node = NodeRef::<Div>::new();
    let data_src = src.clone();
    // Once per element: the fetch is the expensive part (a city's map is ~570 KB).
    Effect::new(move |drawn: Option<bool>| {
        if drawn == Some(true) {
            return true;
        }
        #[cfg(feature = "hydrate")]
        if let Some(el) = node.get() {
            if let Err(e) = js::render_url(&el, &src) {
                leptos::logging::error!("map failed: {e:?}");
            }
            return true;
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &src;
        false
    });
    view! {
        <div class="map" node_ref=node data-testid="map" data-src=data_src data-attribution=t_string!(i18n, attribution).to_string()
            data-failed-text=move || t_string!(i18n, map_failed).to_string() data-signed-out-text=move || t_string!(i18n, map_signed_out).to_string()
            data-gone-text=move || t_string!(i18n, map_gone).to_string()></div>
    }
}

/// The park's grids coloured by a figure (a share in 0–1, red to green; grey where it does
/// not apply); a tap on a grid opens its figures. `data` is the JSON `renderFigures` reads:
/// `{park_boundary, grids: [{code, geometry, value, lines: [[label, value]]}]}`.
#[component]
pub fn FigureMap(data: Signal<String>) -> impl IntoView {
    let node = NodeRef::<Div>::new();
    Effect::new(move |_| {
        let data = data.get();
        #[cfg(feature = "hydrate")]
        if let (Some(el), false) = (node.get(), data.is_empty()) {
            if let Err(e) = js::render_figures(&el, &data) {
                leptos::logging::error!("map failed: {e:?}");
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = data;
    });
    view! { <div class="map figure-map" node_ref=node data-testid="figure-map"></div> }
}
