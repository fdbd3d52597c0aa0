"""Synthetic, deterministic traffic for tests, demos and benchmarks."""
