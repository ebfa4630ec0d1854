"""Put on PYTHONPATH by benches/input_formats.sh: every Python the peers'
harness starts then opens HEIC through pillow-heif (libheif + libde265), so
its `pillow` peer is "Pillow with pillow-heif" on HEIC originals."""
try:
    import pillow_heif

    pillow_heif.register_heif_opener()
except ImportError:
    pass
