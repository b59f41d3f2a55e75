"""The tests' own shape: helpers shared between test files live in tests/support/, so no test file
(and no conftest, whose fixtures pytest finds without an import) is imported by another."""
import ast
import re
import tomllib
from pathlib import Path

TESTS = Path(__file__).parent
NOT_FOR_IMPORT = re.compile(r"(^|\.)(test_\w+|conftest)$")


def imported_modules(path: Path) -> list[str]:
    """Every module `path` imports, relative imports made absolute, and `from package import module`
    counted as importing the module."""
    package = ".".join(path.relative_to(TESTS.parent).parent.parts)
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package if node.level else ""
            module = ".".join(part for part in (base, node.module) if part)
            found += [module] + [f"{module}.{alias.name}" for alias in node.names]
    return found


def test_no_test_file_imports_another_or_a_conftest():
    files = [path for path in TESTS.rglob("*.py") if "node_modules" not in path.parts]
    assert len(files) > 40
    reaching = [f"{path.relative_to(TESTS.parent)} imports {module}" for path in files
                for module in imported_modules(path)
                if module.startswith("tests") and NOT_FOR_IMPORT.search(module)]
    assert reaching == [], "shared helpers belong in tests/support/:\n" + "\n".join(reaching)


def test_every_module_of_core_has_its_layer_in_the_import_contract():
    """portal/core holds modules above the tables and below them; the layers contract names each one,
    so a new module left out of it would escape the checks."""
    config = tomllib.loads((TESTS.parent / "pyproject.toml").read_text())
    layers = next(c["layers"] for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    named = {part.strip() for layer in layers for part in re.split(r"[:|]", layer)}
    modules = {f"core.{path.stem}" for path in (TESTS.parent / "portal" / "core").glob("*.py")
               if path.stem != "__init__"}
    assert modules - named == set()
