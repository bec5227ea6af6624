mod model_support;
use model_support::*;
use nethcti_server::domain::switchboard::PrivacyView;

#[test]
fn explore() {
    let name = std::env::var("T").unwrap_or("b-internal-call-201-to-202.ami".into());
    let stops: Vec<String> = std::env::var("S")
        .unwrap_or_default()
        .split('|')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let exts: Vec<String> = std::env::var("E")
        .unwrap_or("201,202".into())
        .split(',')
        .map(str::to_owned)
        .collect();
    let now = 1_796_322_800_000;
    let (mut sb, ch) = lab_loaded("a-startup-queries-idle.ami", now);
    println!("SNAP {:?}", names(&ch));
    let recs = transcript(&name);
    let mut rest = &recs[..];
    for s in stops.iter().map(Some).chain([None]) {
        let (ch, n) = replay_until(&mut sb, rest, s.map(|x| x.as_str()), now);
        rest = &rest[n..];
        println!("=== until {:?}\n{:?}", s, names(&ch));
        for e in &exts {
            if let Some(j) = sb.extension_json(e, now, PrivacyView::Clear) {
                println!("{}", serde_json::to_string(&j["conversations"]).unwrap());
                println!("  status {}", j["status"]);
            }
        }
        println!("Q {}", sb.queues_json(now, false));
        println!("T {}", sb.trunks_json(now, false));
    }
}
