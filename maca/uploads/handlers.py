"""What is kept of a file uploaded to a page: at most `UPLOAD_MAX_BYTES` and a byte (enough for
the page to say it is too large), passed on to Django's own handlers; the rest is dropped as
it arrives. Without it, a file of any size was written whole to a temporary file before the
page read its first 5 MB."""

from django.core.files.uploadhandler import FileUploadHandler

from .limits import UPLOAD_MAX_BYTES


class KeepAtMost(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.kept = 0

    def receive_data_chunk(self, raw_data, start):
        room = UPLOAD_MAX_BYTES + 1 - self.kept
        if room <= 0:
            return None  # dropped: the handlers after this one never see it
        chunk = raw_data[:room]
        self.kept += len(chunk)
        return chunk

    def file_complete(self, file_size):
        return None  # the next handler, in memory or on disk, makes the file of what was kept
