//! What every handler can reach, in a module of its own: the API handlers and the server's
//! start-up both use it, and neither needs the other for it.

use app::ssr::AppContext;
use leptos::config::LeptosOptions;

/// What every handler can reach.
#[derive(Clone, axum::extract::FromRef)]
pub struct AppState {
    pub ctx: AppContext,
    pub leptos_options: LeptosOptions,
    pub basemap: crate::tiles::Basemap,
    /// Set when the server begins to shut down: `/ready` then answers 503 so that a load
    /// balancer sends no new work, while requests under way finish.
    pub stopping: Stopping,
}

/// Whether the server is shutting down (shared by every handler and the shutdown).
#[derive(Clone, Default)]
pub struct Stopping(pub std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Stopping {
    pub fn is_set(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }

    pub(crate) fn set(&self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst)
    }
}
