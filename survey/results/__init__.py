"""Reading packed results in bulk (:mod:`.frames`, :mod:`.packed`) and the numbers of each page:
:mod:`.dashboard`, :mod:`.quality`, :mod:`.plan`, :mod:`.personal` — every statistic computed by
``analysis/``."""
