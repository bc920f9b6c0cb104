//! pyrandom against values recorded from CPython 3.11.7 (`tests/data/python-random-vectors.json`,
//! a copy of the project's reference vectors).

use pyrandom::Random;
use serde_json::Value;

fn vectors() -> Value {
    serde_json::from_str(include_str!("data/python-random-vectors.json")).expect("valid JSON")
}

fn ints(value: &Value) -> Vec<i64> {
    let list = value.as_array().expect("a list");
    list.iter()
        .map(|v| v.as_i64().expect("an integer"))
        .collect()
}

#[test]
fn seed_444_gives_cpythons_first_60_words() {
    let expected = ints(&vectors()["seed_444"]["first_60_genrand_uint32"]);
    let mut random = Random::new(444);
    let drawn: Vec<i64> = (0..60).map(|_| random.getrandbits(32) as i64).collect();
    assert_eq!(drawn, expected);
}

#[test]
fn seed_444_randint_sequences_match_cpython() {
    let v = vectors();
    let mut random = Random::new(444);
    let drawn: Vec<i64> = (0..50).map(|_| random.randint(0, 10)).collect();
    assert_eq!(drawn, ints(&v["seed_444"]["randint_0_10_first50"]));

    random.seed(444);
    let drawn: Vec<i64> = (0..20).map(|_| random.randint(1, 5)).collect();
    assert_eq!(drawn, ints(&v["seed_444"]["randint_1_5_first20"]));
}

/// Each case starts fresh from seed 444 and records the value and how many 32-bit words each
/// call used, so after the calls the generator must stand exactly that many words in.
#[test]
fn edge_ranges_match_cpython_values_and_words_consumed() {
    let v = vectors();
    let words = ints(&v["seed_444"]["first_60_genrand_uint32"]);
    let cases: [(&str, i64, i64); 6] = [
        ("randint(0,0) x12 (k=1: rejects while top bit is 1)", 0, 0),
        ("randint(7,7) x12", 7, 7),
        ("randint(-3,3) x10", -3, 3),
        ("randint(0,2**32-2) x3 (k=32)", 0, (1 << 32) - 2),
        ("randint(0,2**32) x3 (k=33: 2 words)", 0, 1 << 32),
        ("randint(0,10**12) x3 (k=40: 2 words)", 0, 1_000_000_000_000),
    ];
    for (key, a, b) in cases {
        let calls = v["seed_444_extras_each_fresh_from_seed"][key]
            .as_array()
            .unwrap_or_else(|| panic!("no vector {key:?}"));
        let mut random = Random::new(444);
        let mut used = 0;
        for call in calls {
            assert_eq!(
                random.randint(a, b),
                call["value"].as_i64().expect("value"),
                "{key}"
            );
            used += call["u32_draws_used"].as_u64().expect("draws") as usize;
        }
        let next = random.getrandbits(32) as i64;
        assert_eq!(next, words[used], "{key}: words consumed");
    }
}

#[test]
fn other_seeds_match_cpython() {
    let v = vectors();
    let seeds = v["other_seeds"].as_object().expect("an object");
    assert_eq!(seeds.len(), 5);
    for (seed, case) in seeds {
        let seed: i128 = seed.parse().expect("an integer seed");
        let mut random = Random::new(seed);
        let drawn: Vec<i64> = (0..20).map(|_| random.randint(0, 10)).collect();
        assert_eq!(drawn, ints(&case["randint_0_10_first20"]), "seed {seed}");
    }
}

#[test]
fn module_functions_share_one_generator_like_pythons() {
    // The only test in this binary that touches the shared generator.
    let v = vectors();
    pyrandom::seed(444);
    let words = ints(&v["seed_444"]["first_60_genrand_uint32"]);
    assert_eq!(pyrandom::getrandbits(32) as i64, words[0]);
    pyrandom::seed(444);
    let drawn: Vec<i64> = (0..6).map(|_| pyrandom::randint(0, 10)).collect();
    assert_eq!(
        drawn,
        ints(&v["programs"]["chained_9_6_3"]["values_in_call_order"])
    );
    assert_eq!(pyrandom::randrange(0, 11), 4); // the 7th value of the same stream
    assert_eq!(pyrandom::getrandbits(0), 0);
}
