"""Complaints models."""
