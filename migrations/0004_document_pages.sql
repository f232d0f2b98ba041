CREATE TYPE "public"."page_mode" AS ENUM('auto', 'bilevel', 'grey', 'colour');--> statement-breakpoint
CREATE TYPE "public"."page_state" AS ENUM('queued', 'processing', 'ready', 'failed');--> statement-breakpoint
CREATE TABLE "document_pages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"original_sha256" varchar(64) NOT NULL,
	"source_page" integer DEFAULT 0 NOT NULL,
	"state" "page_state" DEFAULT 'queued' NOT NULL,
	"mode" "page_mode" DEFAULT 'auto' NOT NULL,
	"chosen_mode" "page_mode",
	"rotation" smallint DEFAULT 0 NOT NULL,
	"skew_degrees" double precision,
	"thumb_sha256" varchar(64),
	"page_pdf_sha256" varchar(64),
	"error" varchar(40),
	"revision" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "document_pages" ADD CONSTRAINT "document_pages_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "document_pages_by_document" ON "document_pages" USING btree ("document_id","position");