# envgov — top-level make targets.  The two set-up commands of the README:
#   make run    install missing Debian packages, build, create the demo database, show it
#   make check  install missing packages, build with gcc (-Werror) and run every test, then the
#               same under clang with AddressSanitizer + UndefinedBehaviorSanitizer
# Other targets: make (build build/envgov), make bench, make fuzz, make format, make clean.

BUILD      ?= build
BUILD_ASAN ?= build-asan
DB         ?= var/envgov.db
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
ENVGOV     := $(BUILD)/envgov

# Debian 12 packages the build and the tests need.
PKGS := meson ninja-build gcc clang libclang-rt-14-dev pkg-config libsqlite3-dev sqlite3 \
        libjansson-dev libcmocka-dev zlib1g-dev libsodium-dev libuv1-dev ca-certificates \
        libmicrohttpd-dev libxlsxwriter-dev libzip-dev libexpat1-dev wrk
# The dashboard's build and browser tests: Debian's chromium, node and npm (any node >= 18 with npm
# will do: nodesource's nodejs already provides npm and conflicts with Debian's npm package).
WEB_PKGS := chromium fonts-noto-cjk
HTTP       ?= 127.0.0.1:8080
HJ212      ?= 127.0.0.1:9212

LIAONING := 沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛

.PHONY: all deps web-deps web run demo demo-accounts check check-gcc check-asan bench fuzz format clean

all: $(ENVGOV)

deps:
	@missing=""; for p in $(PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

web-deps:
	@missing=""; for p in $(WEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# The dashboard's assets (ECharts and the city boundary from npm, pinned in web/package-lock.json)
# into web/dist, which envgov web serves.
web: web-deps
	cd web && (npm ci --no-audit --no-fund || npm install --no-audit --no-fund)
	node web/build.mjs

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized

$(ENVGOV): deps $(BUILD)/build.ninja FORCE
	ninja -C $(BUILD)

FORCE:

# The demo database: the national station list and the real CNEMC sample (2023-01-20 … 23).
demo: $(ENVGOV)
	@mkdir -p $(dir $(DB))
	$(ENVGOV) --db $(DB) import stations tests/data/stations/stations_2022.csv
	$(ENVGOV) --db $(DB) import cnemc tests/data/cnemc/china_sites_2023012*.csv
	sh data/demo/supervision/load.sh $(ENVGOV) $(DB)
	$(ENVGOV) --db $(DB) import points data/demo/points.csv
	$(ENVGOV) --db $(DB) import samples data/demo/samples_2021.csv data/demo/samples_2022.csv

# Demo accounts of the demo database (never use these passwords elsewhere).
demo-accounts: demo
	@echo 'envgov-admin-demo' | $(ENVGOV) --db $(DB) user add admin --role admin 2>/dev/null || true
	@echo 'envgov-air-demo' | $(ENVGOV) --db $(DB) user add air --role staff --department air 2>/dev/null || true
	@echo 'envgov-leader-demo' | $(ENVGOV) --db $(DB) user add leader --role leader 2>/dev/null || true

run: demo demo-accounts web
	@echo; echo "== 辽宁省各城市日空气质量 (Liaoning cities, daily AQI, HJ 633-2012) =="
	$(ENVGOV) --db $(DB) air daily --by city --from 2023-01-20 --to 2023-01-22 --city $(LIAONING)
	@echo; echo "== 辽宁省城市排名 2023-01 (composite index; sample of 4 days) =="
	$(ENVGOV) --db $(DB) air rank --year 2023 --month 1 --city $(LIAONING)
	@echo; echo "== 2022 water (synthetic demo data, data/demo) =="
	@$(ENVGOV) --db $(DB) water cwqi --year 2022 --compare 2021 --format ndjson | sed 's/.*"sentence":"\([^"]*\)".*/\1/' 
	$(ENVGOV) --db $(DB) water drinking --year 2022 --summary
	@echo; echo "== 2022 supervision (synthetic demo data, data/demo/supervision) =="
	@$(ENVGOV) --db $(DB) work stats --kind hazard --year 2022 --sentence
	@$(ENVGOV) --db $(DB) work stats --kind case --year 2022 --sentence
	tools/run-platform.sh $(ENVGOV) $(DB) $(HTTP) $(HJ212)

check: deps web check-gcc check-asan

check-gcc:
	@[ -f $(BUILD)/build.ninja ] || meson setup $(BUILD) --buildtype=debugoptimized
	meson configure $(BUILD) -Dwerror=true
	ninja -C $(BUILD)
	meson test -C $(BUILD) --print-errorlogs --num-processes 2

check-asan:
	@[ -f $(BUILD_ASAN)/build.ninja ] || CC=clang meson setup $(BUILD_ASAN) \
	  --buildtype=debugoptimized -Db_sanitize=address,undefined -Db_lundef=false -Dbench=false
	meson configure $(BUILD_ASAN) -Dwerror=true
	ninja -C $(BUILD_ASAN)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  meson test -C $(BUILD_ASAN) --print-errorlogs --num-processes 2 --timeout-multiplier 3

bench: $(ENVGOV)
	bench/run.sh $(BUILD)

fuzz: deps
	@[ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz -Dfuzz=true \
	  -Db_sanitize=address,undefined -Db_lundef=false -Dbench=false
	ninja -C build-fuzz
	@echo "fuzz targets are in build-fuzz/fuzz/ (run one with a corpus dir, e.g. fuzz/corpus/cnemc)"

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) build-fuzz
