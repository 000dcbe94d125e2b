"""What the admin accepts as an image or a document, each refusal said in French at the
field: the form bases of Wagtail's image and document forms (WAGTAILIMAGES_IMAGE_FORM_BASE,
WAGTAILDOCS_DOCUMENT_FORM_BASE), used by the add and edit views and the multiple upload."""

import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from PIL import Image as PillowImage
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm
from wagtail.images.models import AbstractImage

from portal import filetypes

# Pillow's ways of saying that a file is no image it can read: unknown, truncated, corrupt.
UNREADABLE_IMAGE_ERRORS = (OSError, SyntaxError, ValueError, EOFError)


class CheckedImageField(WagtailImageField):
    """Wagtail's image field, which also refuses, as errors at the field, the files Pillow
    refuses to read: a header that declares more pixels than Pillow decodes (a decompression
    bomb), a truncated or corrupt file."""

    def check_image_pixel_size(self, f):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", PillowImage.DecompressionBombWarning)
                super().check_image_pixel_size(f)
                f.seek(0)
                with PillowImage.open(f) as image:
                    image.verify()
        except (PillowImage.DecompressionBombError, PillowImage.DecompressionBombWarning) as exc:
            raise ValidationError(
                _("Ce fichier a un trop grand nombre de pixels. Nombre maximum de pixels %(max)s.")
                % {"max": self.max_image_pixels},
                code="file_too_many_pixels",
            ) from exc
        except UNREADABLE_IMAGE_ERRORS as exc:
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from exc
        finally:
            f.seek(0)


class ImageForm(BaseImageForm):
    file = CheckedImageField(label=capfirst(AbstractImage._meta.get_field("file").verbose_name))


class DocumentForm(BaseDocumentForm):
    """Wagtail checks the size (WAGTAILDOCS_MAX_UPLOAD_SIZE) and the extension
    (WAGTAILDOCS_EXTENSIONS); this form also checks that the content is what the extension
    says."""

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file is None or "file" not in self.changed_data:
            return file
        extension = file.name.rpartition(".")[2].lower()
        # Another extension is Document.clean()'s to refuse, in Wagtail's words.
        if extension in settings.WAGTAILDOCS_EXTENSIONS:
            file.seek(0)
            data = file.read()
            file.seek(0)
            if not filetypes.matches_extension(file.name, data):
                raise ValidationError(
                    _("Le contenu de ce fichier ne correspond pas à son extension « .%(ext)s ».")
                    % {"ext": extension},
                    code="content_mismatch",
                )
        return file

    def _post_clean(self):
        # Document.clean() checks the extension of the instance's file, which a refused upload
        # never reaches: it would add a second error, about a file without an extension.
        if self.has_error("file"):
            return
        super()._post_clean()
