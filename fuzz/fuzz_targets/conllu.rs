#![no_main]
//! `dyad::fuzz::conllu` under libFuzzer.

libfuzzer_sys::fuzz_target!(|data: &[u8]| dyad::fuzz::conllu(data));
