//! The offline basemap: a PMTiles archive served at plain tile URLs, cacheable.

use crate::support;

use reqwest::StatusCode;

#[tokio::test]
async fn a_pmtiles_archive_is_served_at_plain_tile_urls_that_browsers_may_cache() {
    let db = support::fresh_db(&support::Engine::Sqlite).await;
    let archive = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/basemap/protomaps_vector_ODbL_firenze.pmtiles");
    let base = support::start_server_with(&db.url, Some(archive)).await;
    let client = support::browser();
    let info: serde_json::Value = client.get(format!("{base}/api/v1/basemap")).send().await.expect("request").json().await.expect("json");
    assert_eq!(info["local"]["kind"], "vector");
    assert_eq!(info["local"]["max_zoom"], 14);
    assert_eq!(info["url"], serde_json::Value::Null, "no online tiles unless configured");
    // Florence at zoom 10: tile (544, 373).
    let r = client.get(format!("{base}/tiles/10/544/373")).send().await.expect("request");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/vnd.mapbox-vector-tile");
    assert!(r.headers()["cache-control"].to_str().expect("header").contains("max-age"));
    let gzip = r.headers().get("content-encoding").map(|v| v.to_str().unwrap_or("").to_owned());
    let body = r.bytes().await.expect("body");
    assert!(body.len() > 100, "a real tile: {} bytes", body.len());
    if gzip.as_deref() == Some("gzip") {
        assert_eq!(&body[..2], b"\x1f\x8b");
    }
    // With an extension too, as tile clients often ask.
    assert_eq!(client.get(format!("{base}/tiles/10/544/373.mvt")).send().await.expect("request").status(), StatusCode::OK);
    // Outside the archive (the other side of the world, and beyond its zoom levels): 404.
    assert_eq!(client.get(format!("{base}/tiles/10/0/0")).send().await.expect("request").status(), StatusCode::NOT_FOUND);
    assert_eq!(client.get(format!("{base}/tiles/15/17408/11936")).send().await.expect("request").status(), StatusCode::NOT_FOUND);
    assert_eq!(client.get(format!("{base}/tiles/x/y/z")).send().await.expect("request").status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn without_an_archive_there_are_no_tiles_and_the_map_needs_none() {
    let db = support::fresh_db(&support::Engine::Sqlite).await;
    let base = support::start_server(&db.url).await;
    let client = support::browser();
    let info: serde_json::Value = client.get(format!("{base}/api/v1/basemap")).send().await.expect("request").json().await.expect("json");
    assert_eq!(info, serde_json::json!({ "url": null, "attribution": null, "local": null }));
    assert_eq!(client.get(format!("{base}/tiles/0/0/0")).send().await.expect("request").status(), StatusCode::NOT_FOUND);
}
