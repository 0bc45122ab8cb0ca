"""Sliding-window inference: the window grid, blend weights and the batched runner."""
