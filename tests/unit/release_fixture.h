/*
 * release_fixture.h: a small format-2 definition for the release tests:
 * a background question (gender, with prefer-not), a sensitive single
 * question, a multi question, a Likert pair with a scale, an indicator,
 * free text, and the unit from the token batch.
 */
#ifndef GH_RELEASE_FIXTURE_H
#define GH_RELEASE_FIXTURE_H

#define RF_T(s) "{\"nl\":\"" s "\",\"en\":\"" s "\"}"
#define RF_OPT(id) "{\"id\":\"" id "\",\"label\":" RF_T(id) "}"

static const char rf_def_json[] =
    "{\"format\":2,\"id\":\"rf\",\"title\":" RF_T("RF") ","
    "\"unit\":{\"source\":\"batch\"},"
    "\"pages\":[{\"id\":\"p\",\"questions\":["
    "{\"id\":\"gender\",\"type\":\"single\",\"background\":\"gender\","
    "\"prefer_not\":true,\"label\":" RF_T("G") ",\"options\":["
    RF_OPT("vrouw") "," RF_OPT("man") "," RF_OPT("nb") "]},"
    "{\"id\":\"gezien\",\"type\":\"single\",\"sensitive\":true,"
    "\"label\":" RF_T("S") ",\"options\":[" RF_OPT("ja") "," RF_OPT("nee")
    "]},"
    "{\"id\":\"vorm\",\"type\":\"multi\",\"label\":" RF_T("M") ","
    "\"options\":[" RF_OPT("a") "," RF_OPT("b") "," RF_OPT("c") "]},"
    "{\"id\":\"l1\",\"type\":\"likert\",\"label\":" RF_T("L1") ","
    "\"options\":[" RF_OPT("1") "," RF_OPT("2") "," RF_OPT("3") "]},"
    "{\"id\":\"l2\",\"type\":\"likert\",\"label\":" RF_T("L2") ","
    "\"options\":[" RF_OPT("1") "," RF_OPT("2") "," RF_OPT("3") "]},"
    "{\"id\":\"txt\",\"type\":\"text\",\"max_length\":50,"
    "\"label\":" RF_T("T") "}]}],"
    "\"scales\":[{\"id\":\"sc\",\"label\":" RF_T("SC") ","
    "\"items\":[\"l1\",\"l2\"]}],"
    "\"indicators\":[{\"id\":\"ind\",\"label\":" RF_T("I") ","
    "\"question\":\"gezien\",\"any_of\":[\"ja\"]}]}";

#endif
