//! k-ary randomized response over the three [`Answer`]s, and the memo that keeps a browser's
//! reports from adding up.
//!
//! With privacy budget ε, the true answer is kept with probability p = e^ε / (e^ε + 2) and each
//! of the two others is sent with q = 1 / (e^ε + 2): whatever was sent, the likelihood that it
//! came from one true answer rather than another is at most p / q = e^ε apart, which is ε-local
//! differential privacy. Among the mechanisms for three answers this is the one with the least
//! estimation error at small ε (Wang et al., "Locally Differentially Private Protocols for
//! Frequency Estimation", USENIX Security 2017), and it needs no hashing.
//!
//! ```
//! use aisle_core::measure::{Answer, randomizer::Randomizer};
//! let randomizer = Randomizer::new(1.0).unwrap();
//! assert!((randomizer.keep() - 0.5761).abs() < 1e-4);
//! assert!((randomizer.other() - 0.2119).abs() < 1e-4);
//! assert!(Randomizer::new(0.0).is_err());
//! ```

use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

use super::Answer;
use crate::error::{Error, Result};

/// The largest privacy budget per report Aisle accepts: beyond it the true answer is sent
/// nearly always (at 10, 99.99% of the time), which is no protection.
pub const MAX_EPSILON: f64 = 10.0;

/// k-ary randomized response with budget ε.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Randomizer {
    epsilon: f64,
}

impl Randomizer {
    /// The randomizer for budget `epsilon` per report, which must be above 0 and at most
    /// [`MAX_EPSILON`].
    pub fn new(epsilon: f64) -> Result<Self> {
        if !(epsilon > 0.0 && epsilon <= MAX_EPSILON) {
            return Err(Error::InvalidParameter {
                name: "epsilon",
                reason: format!("{epsilon} is not above 0 and at most {MAX_EPSILON}"),
            });
        }
        Ok(Self { epsilon })
    }

    /// The privacy budget per report.
    pub fn epsilon(&self) -> f64 {
        self.epsilon
    }

    /// The probability that the true answer is sent.
    pub fn keep(&self) -> f64 {
        let e = self.epsilon.exp();
        e / (e + (Answer::ALL.len() - 1) as f64)
    }

    /// The probability that one given other answer is sent instead.
    pub fn other(&self) -> f64 {
        1.0 / (self.epsilon.exp() + (Answer::ALL.len() - 1) as f64)
    }

    /// `truth`, randomized by a generator seeded with `seed`: a browser takes the seed from its
    /// cryptographic generator, so nobody can replay the draw.
    pub fn randomize_seeded(&self, truth: Answer, seed: u64) -> Answer {
        self.randomize(truth, &mut rand_pcg::Pcg64Mcg::seed_from_u64(seed))
    }

    /// `truth`, randomized.
    pub fn randomize(&self, truth: Answer, rng: &mut impl Rng) -> Answer {
        let draw: f64 = rng.random();
        if draw < self.keep() {
            return truth;
        }
        // One of the other two, equally likely.
        let others: Vec<Answer> = Answer::ALL.into_iter().filter(|a| *a != truth).collect();
        others[usize::from(draw >= self.keep() + self.other())]
    }
}

/// The randomized answer a browser drew for each true answer, kept with its profile: a period
/// whose true answer was seen before is reported with the same randomized answer, so an
/// observer of every report learns no more than from one report per true answer (RAPPOR's
/// permanent randomized response).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Memo {
    /// By [`Answer::index`] of the true answer.
    drawn: [Option<Answer>; 3],
}

impl Memo {
    /// The randomized answer to send for `truth`: the one drawn before for it, else a new draw,
    /// kept.
    pub fn answer(&mut self, truth: Answer, randomizer: &Randomizer, rng: &mut impl Rng) -> Answer {
        let drawn = randomizer.randomize(truth, rng);
        self.keep(truth, drawn)
    }

    /// The randomized answer to send for `truth`: the one drawn before for it, else `drawn` (a
    /// fresh [`Randomizer::randomize`] of `truth`), kept. A browser draws in one tab and keeps
    /// the draw in the profile every tab shares, so the first draw stored wins.
    pub fn keep(&mut self, truth: Answer, drawn: Answer) -> Answer {
        *self.drawn[truth.index()].get_or_insert(drawn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    #[test]
    fn each_answer_is_sent_with_the_stated_probabilities() {
        let randomizer = Randomizer::new(1.0).unwrap();
        let mut rng = Pcg64Mcg::seed_from_u64(3);
        let draws = 300_000;
        for truth in Answer::ALL {
            let mut sent = [0usize; 3];
            for _ in 0..draws {
                sent[randomizer.randomize(truth, &mut rng).index()] += 1;
            }
            for answer in Answer::ALL {
                let expected = if answer == truth {
                    randomizer.keep()
                } else {
                    randomizer.other()
                };
                let share = sent[answer.index()] as f64 / draws as f64;
                // Five standard errors of a share near 0.5 at 300,000 draws.
                assert!(
                    (share - expected).abs() < 0.005,
                    "{truth:?} sent as {answer:?}: {share} against {expected}"
                );
            }
        }
    }

    #[test]
    fn no_sent_answer_tells_one_truth_from_another_by_more_than_e_to_the_epsilon() {
        for epsilon in [0.1, 0.5, 1.0, 2.0, MAX_EPSILON] {
            let randomizer = Randomizer::new(epsilon).unwrap();
            let ratio = randomizer.keep() / randomizer.other();
            assert!((ratio.ln() - epsilon).abs() < 1e-9, "{epsilon}: {ratio}");
            let total = randomizer.keep() + 2.0 * randomizer.other();
            assert!((total - 1.0).abs() < 1e-12);
        }
        for refused in [0.0, -1.0, f64::NAN, f64::INFINITY, MAX_EPSILON + 0.1] {
            let message = Randomizer::new(refused).unwrap_err().to_string();
            assert!(message.contains("epsilon"), "{message}");
        }
    }

    #[test]
    fn a_memo_sends_the_same_answer_for_the_same_truth_every_period() {
        let randomizer = Randomizer::new(0.5).unwrap();
        let mut rng = Pcg64Mcg::seed_from_u64(11);
        let mut memo = Memo::default();
        let first: Vec<Answer> = Answer::ALL
            .iter()
            .map(|truth| memo.answer(*truth, &randomizer, &mut rng))
            .collect();
        for _ in 0..50 {
            for (truth, sent) in Answer::ALL.iter().zip(&first) {
                assert_eq!(memo.answer(*truth, &randomizer, &mut rng), *sent);
            }
        }
    }
}
