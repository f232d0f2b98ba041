ALTER TABLE "document_pages" ADD COLUMN "state_changed_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "document_pages" ADD COLUMN "recoveries" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "document_pages_unfinished" ON "document_pages" USING btree ("state_changed_at") WHERE state in ('queued', 'processing');--> statement-breakpoint
-- Every path that changes a page's state (upload, job, clerk's change, reconciler) stamps the time, so a page
-- left queued or processing too long is found by one indexed query. A new revision starts its recoveries over.
CREATE FUNCTION document_pages_state_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.state IS DISTINCT FROM OLD.state THEN
    NEW.state_changed_at := now();
  END IF;
  IF NEW.revision IS DISTINCT FROM OLD.revision THEN
    NEW.recoveries := 0;
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER document_pages_state_stamp BEFORE UPDATE ON document_pages
  FOR EACH ROW EXECUTE FUNCTION document_pages_state_stamp();
