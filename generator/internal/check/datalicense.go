package check

import (
	"github.com/whyopen/whyopen/generator/internal/load"
)

// DataLicenses are the SPDX ids of the licenses commonly given to data,
// which site.yaml's data_license may name without a file in
// content/licenses.
var DataLicenses = map[string]string{
	"CC0-1.0":             "Creative Commons Zero v1.0 Universal",
	"CC-BY-4.0":           "Creative Commons Attribution 4.0 International",
	"CC-BY-SA-4.0":        "Creative Commons Attribution Share Alike 4.0 International",
	"CC-BY-NC-4.0":        "Creative Commons Attribution Non Commercial 4.0 International",
	"CC-BY-NC-SA-4.0":     "Creative Commons Attribution Non Commercial Share Alike 4.0 International",
	"CC-BY-ND-4.0":        "Creative Commons Attribution No Derivatives 4.0 International",
	"CC-BY-3.0":           "Creative Commons Attribution 3.0 Unported",
	"ODbL-1.0":            "Open Data Commons Open Database License v1.0",
	"ODC-By-1.0":          "Open Data Commons Attribution License v1.0",
	"PDDL-1.0":            "Open Data Commons Public Domain Dedication & License 1.0",
	"CDLA-Permissive-2.0": "Community Data License Agreement Permissive 2.0",
	"CDLA-Permissive-1.0": "Community Data License Agreement Permissive 1.0",
	"CDLA-Sharing-1.0":    "Community Data License Agreement Sharing 1.0",
	"Apache-2.0":          "Apache License 2.0",
	"MIT":                 "MIT License",
	"Unlicense":           "The Unlicense",
	"OGL-UK-3.0":          "Open Government Licence v3.0",
	"etalab-2.0":          "Etalab Open License 2.0",
	"DL-DE-BY-2.0":        "Data licence Germany – attribution – version 2.0",
	"GFDL-1.3-or-later":   "GNU Free Documentation License v1.3 or later",
}

// dataLicense checks that site.yaml's data_license is a license the
// content defines (by id or alias) or one of DataLicenses.
func (k *checker) dataLicense(s load.Site, licenses map[string]*load.License, licenseNames []string) {
	id := s.DataLicense
	if id == "" || IsPlaceholder(id) || licenses[id] != nil {
		return
	}
	if _, ok := DataLicenses[id]; ok {
		return
	}
	names := append([]string(nil), licenseNames...)
	for spdx := range DataLicenses {
		names = append(names, spdx)
	}
	k.errorf(s.Pos("data_license"), "unknown data_license %q: use an SPDX id such as CC-BY-4.0 or CC0-1.0, or a license in content/licenses%s", id, load.DidYouMean(id, names))
}
