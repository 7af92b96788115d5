"""LSCP report pack helpers."""
