#![no_main]
//! `dyad::fuzz::verbs` under libFuzzer.

libfuzzer_sys::fuzz_target!(|data: &[u8]| dyad::fuzz::verbs(data));
