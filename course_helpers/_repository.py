"""Where the course lives: the one place its public repository address is written.

A lesson's first cell on Colab installs the package from this address, and the README's Binder and
Colab links point at it. They cannot import it (the package is not installed yet), so they carry
copies: ``tests/test_environment_files.py`` checks that every copy matches this one, and
``make repo-address URL=https://github.com/OWNER/NAME`` changes all of them at once.
"""

REPOSITORY = "https://github.com/dl-forecasting-course/dl-forecasting-course"
