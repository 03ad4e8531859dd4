"""Image operations for page preparation: skew, orientation, blank pages, cleanup.

Pure functions on numpy arrays (8-bit grayscale unless stated); no file I/O.
"""
