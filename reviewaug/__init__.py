"""reviewaug: augment product-review text, keep its sentiment and keywords, and measure whether it helps.

The data path is the package layout: :mod:`reviewaug.io` (load and save reviews), :mod:`reviewaug.features`
(polarity, keywords, sentiment words), :mod:`reviewaug.augment` (augmenters, constraints, recipes),
:mod:`reviewaug.gan` (the adversarial review generator), :mod:`reviewaug.rec` and :mod:`reviewaug.evaluate`
(does augmentation help?).

Importing this package loads no model and imports no torch.

Example:
    >>> import reviewaug
    >>> reviewaug.__version__
    '0.1.0'
"""

__version__ = "0.1.0"
