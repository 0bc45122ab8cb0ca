"""Training tools: synthetic multi-sensor scenes, SMARTIES-style pretraining, probes (torch only here)."""
