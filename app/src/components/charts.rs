//! Charts as SVG, rendered on the server like the rest of the page (no chart library to load,
//! nothing online): horizontal bars for counts, lines for rates by month. Every chart on a
//! page sits next to its table and a CSV link.

use leptos::prelude::*;

/// Horizontal bars, one per row (label, count), scaled to the largest.
#[component]
pub fn BarChart(rows: Vec<(String, u32)>, #[prop(into)] label: String) -> impl IntoView {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let row_h = 22.0;
    let height = (rows.len().max(1) as f64) * row_h + 4.0;
    let bars = rows
        .into_iter()
        .enumerate()
        .map(|(i, (name, n))| {
            let y = i as f64 * row_h + 2.0;
            let w = 180.0 * f64::from(n) / f64::from(max);
            view! {
                <g class="bar">
                    <text x="118" y=y + 15.0 text-anchor="end" class="bar-label">{truncate(&name, 9)}</text>
                    <rect x="122" y=y + 3.0 width=format!("{w:.1}") height="14" rx="2"></rect>
                    <text x=format!("{:.1}", 126.0 + w) y=y + 15.0 class="bar-value">{n}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="chart bars" viewBox=format!("0 0 340 {height}") role="img" aria-label=label preserveAspectRatio="xMinYMin meet">
            {bars}
        </svg>
    }
}

/// Lines of rates (0–1) by month; a month where a rate does not apply breaks its line.
#[component]
pub fn LineChart(months: Vec<String>, series: Vec<(String, &'static str, Vec<Option<f64>>)>, #[prop(into)] label: String) -> impl IntoView {
    let (left, top, w, h) = (34.0, 8.0, 296.0, 120.0);
    let n = months.len().max(2);
    let x = move |i: usize| left + w * i as f64 / (n - 1) as f64;
    let y = move |v: f64| top + h * (1.0 - v.clamp(0.0, 1.0));
    let grid = [0.0, 0.5, 1.0]
        .into_iter()
        .map(|v| {
            view! {
                <line x1=left x2=left + w y1=y(v) y2=y(v) class="grid-line"></line>
                <text x=left - 4.0 y=y(v) + 4.0 text-anchor="end" class="axis">{format!("{:.0}%", v * 100.0)}</text>
            }
        })
        .collect_view();
    let ticks = months
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 2 == 1 || *i == months.len() - 1)
        .map(|(i, m)| view! { <text x=x(i) y=top + h + 16.0 text-anchor="middle" class="axis">{m.get(2..).unwrap_or(m).to_owned()}</text> })
        .collect_view();
    let lines = series
        .iter()
        .map(|(name, color, values)| {
            // Runs of applicable values, each its own path.
            let mut d = String::new();
            let mut pen_down = false;
            for (i, v) in values.iter().enumerate() {
                match v {
                    Some(v) => {
                        d.push_str(&format!("{}{:.1},{:.1} ", if pen_down { "L" } else { "M" }, x(i), y(*v)));
                        pen_down = true;
                    }
                    None => pen_down = false,
                }
            }
            let dots = values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.map(|v| view! { <circle cx=format!("{:.1}", x(i)) cy=format!("{:.1}", y(v)) r="2.5" fill=*color></circle> }))
                .collect_view();
            view! { <path d=d stroke=*color fill="none" stroke-width="2"><title>{name.clone()}</title></path> {dots} }
        })
        .collect_view();
    let legend = series
        .iter()
        .map(|(name, color, _)| view! { <span class="legend-item"><i style=format!("background:{color}")></i>{name.clone()}</span> })
        .collect_view();
    view! {
        <figure class="chart-figure">
            <svg class="chart lines" viewBox="0 0 340 150" role="img" aria-label=label>
                {grid}{ticks}{lines}
            </svg>
            <figcaption class="legend">{legend}</figcaption>
        </figure>
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() > n { format!("{}…", s.chars().take(n - 1).collect::<String>()) } else { s.to_owned() }
}
