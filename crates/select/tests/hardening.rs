//! Untrusted SQL cannot crash the engine: deep expressions get a coded error with a position
//! before any recursive pass, on a stack as small as a browser worker's.

use wyvern_select::{
    run_to_end, ErrorCode, InputSerialization, OutputSerialization, Query, QueryOptions, Timestamp,
    MAX_EXPRESSION_DEPTH,
};

fn options() -> QueryOptions {
    QueryOptions {
        input: InputSerialization::from_json(r#"{"JSON":{"Type":"LINES"}}"#).unwrap(),
        output: OutputSerialization::from_json(r#"{"CSV":{}}"#).unwrap(),
        scan_range: None,
        now: Timestamp::from_unix_millis(0),
    }
}

/// Runs `f` on a thread with a wasm worker's 1 MiB stack in an optimised build (the test command
/// runs this file with `--release` too). Unoptimised frames are over ten times larger, so a
/// debug build gets 32 MiB; the browser tests run the deepest accepted expression in the page's
/// own worker.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let stack = if cfg!(debug_assertions) {
        32 << 20
    } else {
        1 << 20
    };
    std::thread::Builder::new()
        .stack_size(stack)
        .spawn(f)
        .unwrap()
        .join()
        .expect("no panic, no stack overflow")
}

fn compile(sql: String) -> Result<Query, wyvern_select::SelectError> {
    on_small_stack(move || Query::compile(&sql, options()))
}

#[test]
fn long_flat_chains_are_refused_with_a_position() {
    for (term, op) in [
        ("1", "+"),
        ("true", " AND "),
        ("false", " OR "),
        ("'a'", " || "),
    ] {
        let chain = vec![term; 20_000].join(op);
        let err = compile(format!("SELECT {chain} FROM S3Object")).unwrap_err();
        assert_eq!(err.code, ErrorCode::ParseUnsupportedSyntax, "{op}");
        let at = err.position.expect("a position");
        assert_eq!(at.line, 1);
        assert!(at.column > 500, "points into the chain: {at:?}");
        assert!(
            err.message.contains(&MAX_EXPRESSION_DEPTH.to_string()),
            "{}",
            err.message
        );
    }
}

#[test]
fn a_chain_at_the_limit_runs_on_a_small_stack() {
    let n = MAX_EXPRESSION_DEPTH - 1;
    let sum = vec!["1"; n + 1].join("+");
    let ors = vec!["s.a = 1"; n / 2].join(" OR ");
    let sql = format!("SELECT {sum} FROM S3Object s WHERE {ors}");
    let out = on_small_stack(move || {
        let q = Query::compile(&sql, options()).expect("within the limit");
        run_to_end(&q, b"{\"a\":1}\n{\"a\":2}\n", 4).map(|(out, _)| out)
    })
    .unwrap();
    assert_eq!(out, format!("{}\n", n + 1).into_bytes());
}

#[test]
fn clauses_and_items_each_get_the_whole_budget() {
    let half = vec!["1"; MAX_EXPRESSION_DEPTH * 7 / 10].join("+");
    let sql = format!("SELECT {half}, {half} FROM S3Object s WHERE {half} > 0");
    compile(sql).expect("each expression is within the limit");
}

#[test]
fn deep_nesting_is_refused_not_a_crash() {
    let deep = |open: &str, close: &str| format!("{}1{}", open.repeat(5_000), close.repeat(5_000));
    for inner in [
        deep("(", ")"),
        deep("UPPER(", ")"),
        deep("ABS(-", ")"),
        deep("CASE WHEN true THEN ", " END"),
        deep("NOT ", ""),
        deep("- ", ""),
        deep("CAST(", " AS INT)"),
        deep("COALESCE(1, ", ")"),
    ] {
        let head: String = inner.chars().take(20).collect();
        let err = compile(format!("SELECT {inner} FROM S3Object")).unwrap_err();
        assert!(
            matches!(
                err.code,
                ErrorCode::ParseUnsupportedSyntax | ErrorCode::ParseExpectedExpression
            ),
            "{head}: {:?} {}",
            err.code,
            err.message
        );
    }
}
