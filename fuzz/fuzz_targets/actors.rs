#![no_main]
//! `dyad::fuzz::actors` under libFuzzer.

libfuzzer_sys::fuzz_target!(|data: &[u8]| dyad::fuzz::actors(data));
