"""Forms of the evidence app. They parse what staff type; the rules run in the services, whose errors the
views put back here. No form has a file field: a picked file stays in the browser (fingerprint.js).
"""

from __future__ import annotations

from django import forms

from cases.forms_fields import NOTE_MAX_CHARS, RECORD_MAX_CHARS, LongTextField, ROCDateField
from evidence.models import ChecklistItem, EvidenceItem, EvidenceTeaching, Platform


def _text(
    label: str, *, rows: int = 3, help_text: str = "", max_length: int = NOTE_MAX_CHARS
) -> forms.CharField:
    return LongTextField(
        label=label,
        required=False,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _flag(label: str, help_text: str = "") -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False, help_text=help_text)


class PlatformChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Platform) -> str:
        return f"{obj.name}（{obj.kind}：需{obj.get_needs_display()}）"


class EvidenceItemForm(forms.Form):
    """Guideline 4-3-2D/E, 6-1-3B (a)–(g), 8-1-3D: one piece of evidence, described, never uploaded."""

    platform = PlatformChoiceField(
        label="平台（指引 8-1-3D）",
        queryset=Platform.objects.none(),
        empty_label="請選擇",
        error_messages={
            "invalid_choice": "請從清單選擇平台；清單中沒有的平台請選「各種色情網站」或請管理員新增。"
        },
    )
    url = forms.CharField(label="網址（貼文、影片、文章或訊息連結）", max_length=1000, required=False)
    poster_account_name = forms.CharField(label="對方帳號名稱", max_length=200, required=False)
    poster_account_id = forms.CharField(label="對方帳號 ID", max_length=200, required=False)
    poster_ip = forms.CharField(label="張貼者 IP（如 PTT 有顯示）", max_length=64, required=False)
    content_summary = _text("張貼內容（以文字描述，不含影像）", max_length=RECORD_MAX_CHARS)
    act_on = ROCDateField(label="行為時間（散布、張貼等）", required=False)
    filmed_on = ROCDateField(label="影像攝錄時間（不知道可留空）", required=False)
    first_seen_on = ROCDateField(
        label="首次發現於網路日期", help_text="平台約保存資料180天，系統自此日起算提醒（指引 6-2）。"
    )
    capture_fullscreen = _flag("全螢幕截圖（含日期）")
    capture_recording = _flag("錄影", "Instagram、Telegram 須另行錄影保留蒐證過程（指引 6-1-3B）。")
    capture_photo = _flag("拍照")
    chat_log_saved = _flag("已保存對話紀錄")
    ephemeral = _flag("限時動態或一次性觀看內容（務必隨時截圖）")
    kept_where = forms.ChoiceField(
        label="被害人保存方式（本中心不另存證據）",
        choices=EvidenceItem.KeptWhere.choices,
        initial=EvidenceItem.KeptWhere.NOT_YET,
    )
    kept_encrypted = _flag("檔案已加密")
    copy_confirmed_on = ROCDateField(
        label="被害人確認已自行保存日期", required=False, help_text="填寫後，180天平台保存期限即標示完成。"
    )
    handed_to_police_on = ROCDateField(label="提供警方日期", required=False)
    sha256 = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    phash = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, platform=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Platform.objects.filter(is_active=True)
        if platform is not None:
            qs = Platform.objects.filter(is_active=True) | Platform.objects.filter(pk=platform.pk)
        self.fields["platform"].queryset = qs.order_by("sort_order", "code")


class TeachingForm(forms.Form):
    """Guideline 4-3-2A–C, 6-1 (6-1-1, 6-1-2, 6-1-3A/B), 8-2: how the victim was taught, with checklists."""

    taught_on = ROCDateField(label="教學日期")
    mode = forms.ChoiceField(
        label="教學方式", choices=EvidenceTeaching.Mode.choices, widget=forms.RadioSelect
    )
    face_to_face_refused = _flag("個案不同意面訪（改以電話或線上提供教學影片，指引 6-1-1）")
    video_link_sent_on = ROCDateField(label="提供婦幼隊教學影片連結日期", required=False)
    weak_chinese = _flag("中文能力不佳（建議面訪）")
    weak_digital = _flag("數位資訊能力不佳（建議面訪）")
    interpreter_needed = _flag("需要通譯")
    language = forms.CharField(label="使用語言", max_length=40, required=False)
    advised_collect_now = _flag("已建議即時蒐證（截圖、拍照、錄影，指引 4-3-2A）")
    told_center_keeps_no_copy = _flag("已說明請被害人自備隨身碟加密保存，本中心不另存證據（指引 4-3-2E）")
    ticked = forms.MultipleChoiceField(
        label="已完成的提醒與檢核", required=False, widget=forms.CheckboxSelectMultiple
    )
    waived = _flag("免除蒐證檢核（下架申訴前仍須說明原因，指引 8-2）")
    waiver_reason = _text("免除原因", rows=2)
    note = _text("備註")

    def __init__(self, *args, items: list[ChecklistItem], **kwargs):
        super().__init__(*args, **kwargs)
        groups = dict(ChecklistItem.Group.choices)
        self.fields["ticked"].choices = [(i.code, f"{groups[i.group]}｜{i.text}") for i in items]
