import ast
from pathlib import Path

import analysis

FORBIDDEN = {"flask", "sqlalchemy", "survey", "pandas", "flask_sqlalchemy"}


def test_the_analysis_package_imports_no_web_database_or_pandas_module():
    for path in Path(analysis.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"
