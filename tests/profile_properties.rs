//! Properties of the profile model on random profiles: encoding and
//! decoding round-trip, a profile minus itself is empty, merging is
//! associative.

mod common;

use common::profile_strategy;
use pprof_graph::profile::decode::parse;
use pprof_graph::profile::encode::encode;
use pprof_graph::profile::merge::{combine, merge};
use pprof_graph::profile::Profile;
use proptest::prelude::*;
use std::collections::BTreeMap;

/// Values per stack of function names: what merging must preserve.
fn by_stack(p: &Profile) -> BTreeMap<Vec<String>, Vec<i64>> {
    let mut out: BTreeMap<Vec<String>, Vec<i64>> = BTreeMap::new();
    for s in &p.samples {
        let stack: Vec<String> = s
            .locations
            .ids()
            .iter()
            .flat_map(|&l| p.locations[l as usize].lines.iter())
            .map(|ln| p.functions[ln.function as usize].name.clone())
            .collect();
        let e = out.entry(stack).or_insert_with(|| vec![0; s.values.len()]);
        for (a, b) in e.iter_mut().zip(&s.values) {
            *a += b;
        }
    }
    out.retain(|_, v| v.iter().any(|&x| x != 0));
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn decode_of_encode_round_trips(p in profile_strategy()) {
        let mut back = parse(&encode(&p), 1 << 30).unwrap();
        // The encoder appends the names it writes to the string table;
        // the strings labels refer to keep their ids.
        prop_assert_eq!(&back.strings[..p.strings.len()], &p.strings[..]);
        back.strings.truncate(p.strings.len());
        prop_assert_eq!(back, p);
    }

    #[test]
    fn a_profile_minus_itself_is_empty(p in profile_strategy()) {
        let diff = combine(vec![p.clone()], vec![p], false, false).unwrap();
        prop_assert!(diff.samples.iter().all(|s| s.values.iter().all(|&v| v == 0)));
        prop_assert!(by_stack(&diff).is_empty());
    }

    #[test]
    fn merging_is_associative(a in profile_strategy(), b in profile_strategy(), c in profile_strategy()) {
        let left = merge(&[merge(&[a.clone(), b.clone()]).unwrap(), c.clone()]).unwrap();
        let right = merge(&[a, merge(&[b, c]).unwrap()]).unwrap();
        prop_assert_eq!(by_stack(&left), by_stack(&right));
    }
}
