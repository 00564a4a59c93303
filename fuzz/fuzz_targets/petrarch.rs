#![no_main]
//! `dyad::fuzz::petrarch` under libFuzzer.

libfuzzer_sys::fuzz_target!(|data: &[u8]| dyad::fuzz::petrarch(data));
