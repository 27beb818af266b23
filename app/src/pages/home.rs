use crate::serverfns::session::whoami;
use api::Role;
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// `/`: sends each role to its home page, or to sign-in.
#[component]
pub fn Home() -> impl IntoView {
    let me = Resource::new(|| (), |_| whoami());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(me)) => {
                        let path = match me.role {
                            Role::Worker => "/my-grid",
                            // The center's head starts the day with the figures (issue 15);
                            // a manager of no park yet sees the park page's explanation.
                            Role::Manager if me.park.is_some() => "/dashboard",
                            Role::Manager => "/park",
                            Role::Admin => "/park",
                            // An officer works from the cases sent to their department.
                            Role::Department => "/cases",
                        };
                        view! { <Redirect path=path /> }.into_any()
                    }
                    Ok(None) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(e) => super::failure(&e),
                }
            })}
        </Suspense>
    }
}
