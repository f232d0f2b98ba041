ALTER TABLE "document_pages" ADD COLUMN "upload_key" uuid;--> statement-breakpoint
ALTER TABLE "files" ADD COLUMN "stored_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "document_pages_one_upload" ON "document_pages" USING btree ("document_id","upload_key","source_page");--> statement-breakpoint
CREATE INDEX "files_by_stored_at" ON "files" USING btree ("stored_at");--> statement-breakpoint
UPDATE "files" SET "stored_at" = "created_at";
