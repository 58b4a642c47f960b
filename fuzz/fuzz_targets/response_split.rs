//! Response decode, differential: the whole body and the same bytes split at
//! fuzzer-chosen points must give the same result (the value, or the same
//! error); the incremental decoder over those chunks must give the same
//! value, or an error too (a body with several faults may meet another one
//! first, since it reads rows as they come). Each way reads a model row
//! that refers to no other row in one pass (`src/straight/`): the same ways
//! with every row parsed into a document first give the same result.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rsc_flight::response::Decoder;
use rsc_flight::tagged;

fn show(r: rsc_flight::Result<rsc_flight::response::Response>) -> Result<String, String> {
    match r {
        Ok(r) => tagged::to_string(&r.value).map_err(|e| format!("print: {e}")),
        Err(e) => Err(e.message().to_owned()),
    }
}

/// The incremental decoder's result over `chunks`.
fn feed(mut inc: rsc_flight::response::Incremental, chunks: &[&[u8]]) -> Result<String, String> {
    for c in chunks {
        if let Err(e) = inc.push(c) {
            return Err(e.message().to_owned());
        }
    }
    show(inc.finish())
}

fuzz_target!(|data: &[u8]| {
    // The first byte seeds the split points; the rest is the body.
    let Some((&seed, body)) = data.split_first() else { return };
    let mut chunks = Vec::new();
    let mut rest = body;
    let mut x = seed as usize | 1;
    while !rest.is_empty() {
        x = x.wrapping_mul(1103515245).wrapping_add(12345);
        let n = 1 + (x >> 8) % 17;
        let (a, b) = rest.split_at(n.min(rest.len()));
        chunks.push(a);
        rest = b;
    }
    // The seed's top bits pick the client: 19.3.1's; 19.1.0's, which reads
    // `$F` as a server reference (and `$h`, `$w` as row ids); Next.js 16.5's
    // build, which reads `$H` as undefined and keeps a `T` row's byte order
    // mark; 19.2.9's.
    let react = ["19.3.1", "19.1.0", "next@16.5.0", "19.2.9"][usize::from(seed >> 6)];
    let decoder = Decoder::new().react(react.parse().unwrap());
    let whole = show(decoder.decode(body));
    let split = show(decoder.decode_chunks(chunks.iter().copied()));
    assert_eq!(whole, split, "chunking changed the result");
    let documents = show(rsc_flight::fuzzing::decode_through_documents(&decoder, body));
    assert_eq!(whole, documents, "rows read in one pass changed the result");
    let incremental = feed(decoder.incremental(), &chunks);
    let incremental_documents = feed(rsc_flight::fuzzing::incremental_through_documents(&decoder), &chunks);
    assert_eq!(incremental, incremental_documents, "rows read in one pass changed the incremental result");
    match (&whole, &incremental) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "the incremental decoder gives another value"),
        (Err(_), Err(_)) => {}
        _ => panic!("the incremental decoder disagrees: whole {whole:?}, incremental {incremental:?}"),
    }
});
