//! The evaluation budget: steps, wall-clock time and the size of produced values.
//!
//! Every evaluated node and every function application costs one step; producing an array
//! costs one step per item and producing a string one step per [`STRING_BYTES_PER_STEP`]
//! bytes, so work a single node does natively (a range, `$append`, a long concatenation)
//! is paid for as well.  So are walks over values, whose shared parts can stand for far
//! more than was ever built: one step per value written by `$string`, compared by `=` and
//! `$distinct`, or visited by `*` and `**`, and per member of a regex match.  The hot path
//! is a compare and a subtraction on a countdown; the step limit and the clock are only
//! looked at when it runs out.  Nesting depth is counted by the evaluator itself (see
//! `Evaluator::evaluate`).

use std::time::{Duration, Instant};

use super::super::error::{EvalResult, LimitExceeded, limit_exceeded};
use super::super::value::Value;

/// Bytes of a produced string that cost one step: copying a kilobyte costs about as much
/// as evaluating one node, and short strings are already paid for by the node making them.
pub(crate) const STRING_BYTES_PER_STEP: usize = 1024;

/// Steps between two readings of the clock when a time limit is set (reading it costs far
/// more than a step; 1024 steps take well under a millisecond).
const CLOCK_INTERVAL: u64 = 1024;

/// Limits that keep evaluation bounded (see `EvalOptions`, which documents each one).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub max_depth: usize,
    pub time_limit: Option<Duration>,
    pub max_steps: Option<u64>,
    pub max_items: usize,
    pub max_string_length: usize,
}

impl Default for Limits {
    /// The library defaults ([`crate::asl::jsonata::EvalOptions::default`]).
    fn default() -> Limits {
        use super::super::{
            DEFAULT_MAX_DEPTH, DEFAULT_MAX_ITEMS, DEFAULT_MAX_STEPS, DEFAULT_MAX_STRING_LENGTH,
            DEFAULT_TIME_LIMIT,
        };
        Limits {
            max_depth: DEFAULT_MAX_DEPTH,
            time_limit: Some(DEFAULT_TIME_LIMIT),
            max_steps: Some(DEFAULT_MAX_STEPS),
            max_items: DEFAULT_MAX_ITEMS,
            max_string_length: DEFAULT_MAX_STRING_LENGTH,
        }
    }
}

#[cfg(test)]
impl Limits {
    /// No limits at all, for tests of single operations.
    pub fn unlimited() -> Limits {
        Limits {
            max_depth: usize::MAX,
            time_limit: None,
            max_steps: None,
            max_items: usize::MAX,
            max_string_length: usize::MAX,
        }
    }
}

/// Steps and time left for one evaluation.
pub(crate) struct Budget {
    /// Steps left until the next checkpoint: the step limit or the next clock reading.
    countdown: u64,
    /// Length of the current countdown.
    window: u64,
    /// Steps spent before the current countdown started.
    spent_before: u64,
    deadline: Option<Instant>,
    pub limits: Limits,
}

impl Budget {
    pub fn new(limits: Limits) -> Budget {
        let mut budget = Budget {
            countdown: 0,
            window: 0,
            spent_before: 0,
            deadline: limits
                .time_limit
                .and_then(|limit| Instant::now().checked_add(limit)),
            limits,
        };
        budget.start_window(0);
        budget
    }

    /// Steps charged so far.
    pub fn spent(&self) -> u64 {
        self.spent_before
            .saturating_add(self.window.saturating_sub(self.countdown))
    }

    fn start_window(&mut self, spent: u64) {
        let to_limit = self
            .limits
            .max_steps
            .map_or(u64::MAX, |max| max.saturating_sub(spent));
        let to_clock = if self.deadline.is_some() {
            CLOCK_INTERVAL
        } else {
            u64::MAX
        };
        self.spent_before = spent;
        self.window = to_limit.min(to_clock);
        self.countdown = self.window;
    }

    /// Pay `steps`; fails once the step or time limit is exhausted (and stays failed).
    #[inline]
    pub fn charge(&mut self, steps: u64) -> EvalResult<()> {
        if steps <= self.countdown {
            self.countdown -= steps;
            return Ok(());
        }
        self.checkpoint(steps)
    }

    #[cold]
    #[inline(never)]
    fn checkpoint(&mut self, steps: u64) -> EvalResult<()> {
        let spent = self.spent().saturating_add(steps);
        if let Some(max) = self.limits.max_steps
            && spent > max
        {
            // an empty window sends every later charge back here, to the same error
            self.spent_before = spent;
            self.window = 0;
            self.countdown = 0;
            return Err(limit_exceeded(LimitExceeded::Steps(max)));
        }
        if let (Some(deadline), Some(limit)) = (self.deadline, self.limits.time_limit)
            && Instant::now() > deadline
        {
            self.spent_before = spent;
            self.window = 0;
            self.countdown = 0;
            return Err(limit_exceeded(LimitExceeded::Time(limit)));
        }
        self.start_window(spent);
        Ok(())
    }

    /// Fails if an array of `count` items would exceed the item limit (check before
    /// allocating, so a huge request fails without taking the memory first).
    #[inline]
    pub fn check_items(&self, count: usize) -> EvalResult<()> {
        if count > self.limits.max_items {
            return Err(limit_exceeded(LimitExceeded::Items(self.limits.max_items)));
        }
        Ok(())
    }

    /// Fails if a string of `bytes` bytes would exceed the string limit.
    #[inline]
    pub fn check_string(&self, bytes: usize) -> EvalResult<()> {
        if bytes > self.limits.max_string_length {
            return Err(limit_exceeded(LimitExceeded::StringLength(
                self.limits.max_string_length,
            )));
        }
        Ok(())
    }

    /// Check and pay for producing an array of `count` items.
    pub fn produce_items(&mut self, count: usize) -> EvalResult<()> {
        self.check_items(count)?;
        self.charge(count as u64)
    }

    /// Check and pay for producing a string of `bytes` bytes.
    pub fn produce_string(&mut self, bytes: usize) -> EvalResult<()> {
        self.check_string(bytes)?;
        self.charge((bytes / STRING_BYTES_PER_STEP) as u64)
    }

    /// Check and pay for a value a native function produced.
    pub fn produce_value(&mut self, value: &Value) -> EvalResult<()> {
        match value {
            Value::Array(a) => self.produce_items(a.items.len()),
            Value::String(s) => self.produce_string(s.len()),
            _ => Ok(()),
        }
    }

    /// The size limits alone, for a value any node returns (O(1): no charge, no walk).
    #[inline]
    pub fn check_size(&self, value: &Value) -> EvalResult<()> {
        match value {
            Value::Array(a) => self.check_items(a.items.len()),
            Value::String(s) => self.check_string(s.len()),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(max_steps: Option<u64>, time_limit: Option<Duration>) -> Limits {
        Limits {
            max_steps,
            time_limit,
            max_items: 10,
            max_string_length: 4096,
            ..Limits::default()
        }
    }

    fn limit_of(r: EvalResult<()>) -> Option<LimitExceeded> {
        r.err().and_then(|e| e.limit)
    }

    #[test]
    fn steps_run_out_exactly_at_the_limit_and_stay_out() {
        let mut b = Budget::new(limits(Some(100), None));
        assert!(b.charge(60).is_ok());
        assert!(b.charge(40).is_ok());
        assert_eq!(b.spent(), 100);
        assert_eq!(limit_of(b.charge(1)), Some(LimitExceeded::Steps(100)));
        assert_eq!(limit_of(b.charge(1)), Some(LimitExceeded::Steps(100)));
    }

    #[test]
    fn the_clock_is_read_between_windows() {
        let mut b = Budget::new(limits(Some(1_000_000), Some(Duration::ZERO)));
        std::thread::sleep(Duration::from_millis(2));
        let mut outcome = Ok(());
        for _ in 0..=CLOCK_INTERVAL {
            outcome = b.charge(1);
            if outcome.is_err() {
                break;
            }
        }
        assert_eq!(limit_of(outcome), Some(LimitExceeded::Time(Duration::ZERO)));
    }

    #[test]
    fn without_limits_nothing_runs_out() {
        let mut b = Budget::new(limits(None, None));
        assert!(b.charge(u64::MAX / 2).is_ok());
        assert!(b.charge(u64::MAX / 2).is_ok());
        assert!(b.charge(10).is_ok());
    }

    #[test]
    fn sizes_are_checked_before_they_are_paid_for() {
        let mut b = Budget::new(limits(Some(1000), None));
        assert_eq!(
            limit_of(b.produce_items(11)),
            Some(LimitExceeded::Items(10))
        );
        assert_eq!(b.spent(), 0);
        assert!(b.produce_items(10).is_ok());
        assert_eq!(b.spent(), 10);
        assert_eq!(
            limit_of(b.produce_string(4097)),
            Some(LimitExceeded::StringLength(4096))
        );
        assert!(b.produce_string(4096).is_ok());
        assert_eq!(b.spent(), 10 + 4);
    }
}
