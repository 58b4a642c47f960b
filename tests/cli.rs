//! The command-line tool, run as a user runs it: each subcommand on a small
//! input, its output and exit status.

use std::io::Write;
use std::process::{Command, Stdio};

/// Run `rsc-flight args…` with `input` on standard input.
fn run(args: &[&str], input: &[u8]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rsc-flight"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn subcommands_read_and_write_what_they_say() {
    let table: &[(&[&str], &[u8], i32, &str)] = &[
        (&["response", "decode"], b"0:[\"$Ifoo\",\"$@1\"]\n1:2\n", 0, "[{\"$type\":\"number\",\"value\":\"Infinity\"},{\"$type\":\"Promise\",\"status\":\"fulfilled\",\"value\":2}]\n"),
        (&["response", "encode"], b"{\"$type\":\"Set\",\"values\":[1]}", 0, "1:[1]\n0:\"$W1\"\n"),
        (&["response", "hints"], b":HL[\"/a.png\",\"image\"]\n:HS[\"/x.css\",\"default\"]\n0:1\n", 0, "{\"code\":\"L\",\"kind\":\"preload\",\"model\":[\"/a.png\",\"image\"]}\n{\"code\":\"S\",\"kind\":\"preinitStyle\",\"model\":[\"/x.css\",\"default\"]}\n"),
        (&["response", "hints"], b"0:1\n", 0, ""),
        (&["reply", "decode"], b"[\"$D2026-01-01T00:00:00.000Z\"]", 0, "[{\"$type\":\"Date\",\"value\":\"2026-01-01T00:00:00.000Z\"}]\n"),
        (&["reply", "encode"], b"[1,{\"$type\":\"bigint\",\"value\":\"7\"}]", 0, "[1,\"$n7\"]"),
        (
            &["inspect", "--json"],
            b"0:\"$1\"\n",
            0,
            "{\"format\":\"response\",\"bytes\":7,\"rows\":[{\"id\":0,\"tag\":null,\"kind\":\"model\",\"offset\":0,\"bytes\":4,\"refs\":[1],\"detail\":\"\",\"preview\":\"\\\"$1\\\"\"}],\"missing\":[1],\"unreferenced\":[],\"totals\":{\"model\":{\"rows\":1,\"bytes\":4}},\"value\":null,\"fault\":{\"message\":\"Connection closed. (part \\\"row 1, which never came\\\")\",\"offset\":null}}\n",
        ),
    ];
    for (args, input, code, want) in table {
        let (got_code, out, err) = run(args, input);
        assert_eq!((got_code, out.as_str()), (*code, *want), "{args:?}: {err}");
    }
}

#[test]
fn bad_input_is_one_line_and_exit_1_bad_usage_exit_2() {
    let (code, out, err) = run(&["response", "hints"], b":HL[\"/a.png\",\n0:1\n");
    assert_eq!((code, out.as_str()), (1, ""));
    assert_eq!(err, "rsc-flight: Unexpected end of JSON input (part \"hint row L\", byte 13)\n");
    let (code, _, err) = run(&["response", "decode"], b"0:{\"a\":\"$1\"}\n");
    assert_eq!(code, 1);
    assert!(err.contains("row 1, which never came"), "{err}");
    let (code, _, err) = run(&["response", "nope"], b"");
    assert_eq!(code, 2);
    assert!(err.contains("usage:"), "{err}");
}
