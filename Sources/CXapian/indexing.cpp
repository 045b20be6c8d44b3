// Writing releases: one Xapian document each, as schema.h describes.
#include <algorithm>
#include <cstdlib>

#include "asking.h"
#include "compounds.h"
#include "internal.h"
#include "schema.h"

namespace schema = cxapian::schema;
using cxapian::fail;
using cxapian::translate_exception;

namespace {

// One TermGenerator per language, so a writer sets up stemmers and stoppers once.
Xapian::TermGenerator &generator_for(cx_database *db, const std::string &lang) {
    for (auto &entry : db->generators)
        if (entry.first == lang) return entry.second;
    Xapian::TermGenerator generator;
    // Stemmed terms only, with positions, without Xapian's "Z" (STEM_ALL; schema.h): every
    // query word is searched by its stem anyway, and phrases match on stems as in
    // Elasticsearch's language analyzers.
    // Indexing the unstemmed forms too (STEM_SOME) made the index a sixth larger and
    // indexing a third slower, for nothing a query used.
    generator.set_stemmer(Xapian::Stem(cxapian::stemmer_name(lang)));
    generator.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL);
    // Stopwords are indexed like any word: phrases with them match ("continue their
    // partnership"), and a query made only of stopwords ("über uns") still finds them. The
    // QueryParser drops them from ordinary queries.
    generator.set_stopper_strategy(Xapian::TermGenerator::STOP_NONE);
    db->generators.emplace_back(lang, generator);
    return db->generators.back().second;
}

// Stopwords keep their frequency but lose their positions (schema.h, is_stopword_term).
void drop_stopword_positions(Xapian::Document &doc) {
    std::vector<std::pair<std::string, Xapian::termcount>> stopwords;
    for (auto term = doc.termlist_begin(); term != doc.termlist_end(); ++term)
        if (schema::is_stopword_term(*term)) stopwords.emplace_back(*term, term.get_wdf());
    for (const auto &stopword : stopwords) {
        doc.remove_term(stopword.first);
        doc.add_term(stopword.first, stopword.second);
    }
}

const Xapian::Stem &german_stemmer() {
    thread_local Xapian::Stem stemmer(cxapian::stemmer_name("de"));
    return stemmer;
}

bool known_language(const std::string &lang) {
    const auto &languages = cxapian::all_languages();
    return std::find(languages.begin(), languages.end(), lang) != languages.end();
}

// A release as the bridge received it, before indexing gives its passages positions.
cx_status read_release(const cx_release &release, schema::StoredRelease *stored, cx_error *error) {
    if (release.passage_count && !release.passages)
        return fail(error, CX_INVALID_ARGUMENT, "a release's passages are missing");
    stored->path = cxapian::bytes(release.path, release.path_len);
    stored->title = cxapian::bytes(release.title, release.title_len);
    stored->date = cxapian::bytes(release.date, release.date_len);
    stored->date_source = cxapian::bytes(release.date_source, release.date_source_len);
    if (!stored->date.empty() && (stored->date.size() != 8 || !std::all_of(stored->date.begin(), stored->date.end(), [](char c) {
            return c >= '0' && c <= '9';
        })))
        return fail(error, CX_INVALID_ARGUMENT, "a release's date must be YYYYMMDD: " + stored->date);
    for (size_t i = 0; i < release.passage_count; ++i) {
        const cx_passage &passage = release.passages[i];
        schema::StoredPassage out;
        out.lang = passage.lang ? passage.lang : "";
        if (!known_language(out.lang)) return fail(error, CX_INVALID_ARGUMENT, "unknown language code: " + out.lang);
        out.start = passage.start;
        out.end = passage.end;
        out.text = cxapian::bytes(passage.text, passage.text_len);
        stored->passages.push_back(std::move(out));
    }
    return CX_OK;
}

// The release's source (schema.h kFacetSlot): the name of the folder holding its file.
std::string source_folder(const std::string &path) {
    size_t slash = path.find_last_of('/');
    if (slash == std::string::npos || slash == 0) return "";
    size_t before = path.find_last_of('/', slash - 1);
    return path.substr(before == std::string::npos ? 0 : before + 1, slash - (before == std::string::npos ? 0 : before + 1));
}

}  // namespace

extern "C" {

cx_status cx_train_dictionary(const cx_release *samples, size_t count, cx_bytes *out, cx_error *error) {
    if (out) *out = cx_bytes{nullptr, 0};
    try {
        if (!out || (count && !samples)) return fail(error, CX_INVALID_ARGUMENT, "missing argument");
        std::vector<std::string> encoded;
        for (size_t i = 0; i < count; ++i) {
            schema::StoredRelease stored;
            if (cx_status s = read_release(samples[i], &stored, error)) return s;
            encoded.push_back(schema::encode_release(stored));
        }
        std::string dictionary = cxapian::ReleaseDataCodec::train_dictionary(encoded);
        if (!dictionary.empty()) cxapian::copy_out(dictionary, out);
        return CX_OK;
    } catch (...) {
        cx_bytes_free(out);
        return translate_exception(error);
    }
}

cx_status cx_dictionary_id(cx_database *db, uint32_t *id, cx_error *error) {
    if (id) *id = 0;
    try {
        if (!db || !id) return fail(error, CX_INVALID_ARGUMENT, "missing argument");
        *id = static_cast<uint32_t>(std::strtoul(db->database->get_metadata(schema::kCurrentDictionaryKey).c_str(), nullptr, 10));
        return CX_OK;
    } catch (...) {
        return translate_exception(error);
    }
}

cx_status cx_use_dictionary(cx_database *db, const char *dictionary, size_t length, cx_error *error) {
    try {
        if (cx_status s = cxapian::need_writer(db, error)) return s;
        db->codec.use_dictionary(*db->writer, cxapian::bytes(dictionary, length));
        return CX_OK;
    } catch (...) {
        return translate_exception(error);
    }
}

cx_status cx_add_release(cx_database *db, const cx_release *release, cx_error *error) {
    try {
        if (cx_status s = cxapian::need_writer(db, error)) return s;
        if (!release || !release->key || !schema::is_release_key(std::string(release->key, release->key_len)))
            return fail(error, CX_INVALID_ARGUMENT, "a release needs a key of 16 hex digits");
        std::string key(release->key, release->key_len);
        schema::StoredRelease stored;
        if (cx_status s = read_release(*release, &stored, error)) return s;
        Xapian::Document doc;
        Xapian::termpos position = 0;
        for (size_t i = 0; i < stored.passages.size(); ++i) {
            schema::StoredPassage &out = stored.passages[i];
            // Each passage's words start kPassageGap positions after the last passage's, so
            // no phrase spans two passages and a position names its passage.
            Xapian::TermGenerator &generator = generator_for(db, out.lang);
            generator.set_document(doc);
            generator.set_termpos(i == 0 ? 0 : position + schema::kPassageGap);
            out.first_position = generator.get_termpos() + 1;
            std::string folded = cxapian::fold(out.text.data(), out.text.size());
            std::string prefix = cxapian::language_term_prefix(out.lang);
            generator.index_text(folded, 1, prefix);
            out.last_position = generator.get_termpos();
            // German compounds are also found by their parts: `Gründung` finds
            // "Firmengründung" (compounds.h). The parts stand in the gap after the passage
            // (schema.h, kCompoundPartOffset): they name its passage but make no phrase.
            if (out.lang == "de" && out.last_position >= out.first_position)
                cxapian::add_compound_parts(doc, folded, german_stemmer(), schema::kStemPrefix + prefix,
                                            &db->compound_parts, out.last_position + schema::kCompoundPartOffset);
            position = out.last_position;
            doc.add_boolean_term(schema::language_term(out.lang));
        }
        if (!stored.title.empty() && !stored.passages.empty()) {
            // In the language of the release's opening, kTitleWdf times more among the
            // release's words (no positions: the words are in a passage too), and under
            // title:. A title that opens the first passage is found there by its positions
            // (schema.h): generated once more, alone, it tells how many positions it takes.
            const std::string &lang = stored.passages.front().lang;
            Xapian::TermGenerator &generator = generator_for(db, lang);
            std::string title = cxapian::fold(stored.title.data(), stored.title.size());
            std::string prefix = cxapian::language_term_prefix(lang);
            Xapian::Document alone;
            generator.set_document(alone);
            generator.set_termpos(0);
            generator.index_text(title, 1, prefix);
            for (auto term = alone.termlist_begin(); term != alone.termlist_end(); ++term)
                doc.add_term(*term, term.get_wdf() * schema::kTitleWdf);
            if (schema::title_opens_first_passage(stored)) {
                stored.title_words = generator.get_termpos();
            } else {
                generator.set_document(doc);
                generator.index_text_without_positions(title, 1, prefix + schema::kTitlePrefix);
            }
        }
        drop_stopword_positions(doc);
        std::string identity = schema::release_term(key);
        doc.add_boolean_term(identity);
        doc.add_value(schema::kPassagesSlot, schema::encode_passage_table(stored));
        const cx_release_record &record = release->record;
        doc.add_value(schema::kRecordSlot, schema::encode_record(schema::StoredRecord{
                                               key, record.content_hash, record.size, record.modified, record.passages}));
        if (!stored.date.empty()) doc.add_value(schema::kDateSlot, stored.date);
        doc.add_value(schema::kFacetSlot, schema::encode_facets(stored, source_folder(stored.path)));
        cxapian::update_spelling(db, identity, &stored);
        schema::store_release_data(doc, db->codec.compress(*db->writer, schema::encode_release(stored)));
        db->writer->replace_document(identity, doc);
        return CX_OK;
    } catch (...) {
        return translate_exception(error);
    }
}

cx_status cx_delete_release(cx_database *db, const char *release_key, size_t release_key_len,
                            cx_error *error) {
    try {
        if (cx_status s = cxapian::need_writer(db, error)) return s;
        if (!release_key) return fail(error, CX_INVALID_ARGUMENT, "no release key");
        std::string identity = schema::release_term(std::string(release_key, release_key_len));
        cxapian::update_spelling(db, identity, nullptr);
        db->writer->delete_document(identity);
        return CX_OK;
    } catch (...) {
        return translate_exception(error);
    }
}

}  // extern "C"
