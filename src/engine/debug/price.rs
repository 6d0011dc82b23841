//! What a run would cost on AWS, from the public prices (us-east-1, as published on
//! aws.amazon.com/step-functions/pricing, checked December 2026). One table, one place.

use crate::engine::WorkflowType;

/// Standard workflows: per state transition (retries included), above the free tier of 4,000
/// transitions a month (not counted here: a single run cannot tell what else the month holds).
pub const STANDARD_PER_TRANSITION_USD: f64 = 0.025 / 1_000.0;
/// Express workflows: per request (each started execution).
pub const EXPRESS_PER_REQUEST_USD: f64 = 1.00 / 1_000_000.0;
/// Express workflows: per GB-second of duration (first tier: the first 1,000 GB-hours a
/// month), billed in 100 ms steps and 64 MB memory chunks.
pub const EXPRESS_PER_GB_SECOND_USD: f64 = 0.000_016_67;
/// The memory AWS bills an Express execution for at least. The real figure depends on the
/// definition's size and the payloads (AWS does not publish the formula); the minimum is used.
pub const EXPRESS_MEMORY_MB: f64 = 64.0;

/// A run's estimated price.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Price {
    pub usd: f64,
    /// State transitions counted (Standard) — shown beside the price.
    pub transitions: u64,
    /// Billed duration in seconds (Express: rounded up to 100 ms).
    pub billed_seconds: f64,
}

/// The price of one execution of `transitions` state transitions lasting `seconds`.
pub fn estimate(workflow: WorkflowType, transitions: u64, seconds: f64) -> Price {
    match workflow {
        WorkflowType::Standard => Price {
            usd: transitions as f64 * STANDARD_PER_TRANSITION_USD,
            transitions,
            billed_seconds: seconds,
        },
        WorkflowType::Express => {
            let billed_seconds = (seconds.max(0.0) * 10.0).ceil() / 10.0;
            let gb_seconds = billed_seconds.max(0.1) * EXPRESS_MEMORY_MB / 1024.0;
            Price {
                usd: EXPRESS_PER_REQUEST_USD + gb_seconds * EXPRESS_PER_GB_SECOND_USD,
                transitions,
                billed_seconds: billed_seconds.max(0.1),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_is_billed_per_transition() {
        let price = estimate(WorkflowType::Standard, 1_000, 3600.0);
        assert!((price.usd - 0.025).abs() < 1e-12);
    }

    #[test]
    fn express_is_billed_per_request_and_duration() {
        // 1.05 s is billed as 1.1 s at 64 MB.
        let price = estimate(WorkflowType::Express, 50, 1.05);
        assert!((price.billed_seconds - 1.1).abs() < 1e-9);
        let expected = 0.000_001 + 1.1 * (64.0 / 1024.0) * 0.000_016_67;
        assert!((price.usd - expected).abs() < 1e-15);
    }
}
