//! Server functions, one file per feature. Each is thin: check the capability
//! (`ssr::require`), call a `store` service, map errors to codes (`errors`).

pub mod accounts;
pub mod cases;
pub mod departments;
pub mod editor;
pub mod figures;
pub mod maps;
pub mod parks;
pub mod plans;
pub mod publish;
pub mod registry;
pub mod session;
pub mod staff;

use leptos::server_fn::codec::Post;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};

/// How every server function replies: JSON, as server_fn's own `Json`, but read in the browser
/// from text (`serde_json::from_str`) rather than from bytes (`from_slice`). A page's resources
/// are hydrated from text, so with server_fn's codec each reply type's decoding was compiled
/// twice into the bundle, once per reader; with this one, once.
pub struct JsonText;

/// The output codec of the server functions (`#[server(output = Reply)]`).
pub type Reply = Post<JsonText>;

impl ContentType for JsonText {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonText {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: serde::Serialize> Encodes<T> for JsonText {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(output).map(Bytes::from)
    }
}

impl<T: serde::de::DeserializeOwned> Decodes<T> for JsonText {
    type Error = serde_json::Error;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes).map_err(<serde_json::Error as serde::de::Error>::custom)?;
        serde_json::from_str(text)
    }
}
