-- Search the catalogue the way clerks type: with or without diacritics, by code prefix or by words.
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
-- unaccent() is only STABLE (its dictionary could change), so the folded text is stored by a trigger
-- instead of an expression index.
CREATE FUNCTION procedures_search_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_text := lower(unaccent('unaccent', concat_ws(' ', NEW.code, NEW.name, NEW.field, NEW.keywords)));
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER procedures_search_text
  BEFORE INSERT OR UPDATE OF code, name, field, keywords ON procedures
  FOR EACH ROW EXECUTE FUNCTION procedures_search_text();
--> statement-breakpoint
UPDATE procedures SET keywords = keywords;
--> statement-breakpoint
CREATE INDEX procedures_search_trgm ON procedures USING gin (search_text gin_trgm_ops);
