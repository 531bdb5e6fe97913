"""Areas: county (县) → township (乡镇) → village (村), keyed by the 12-digit 行政区划代码."""
